import { parentPort, workerData } from 'node:worker_threads';
import { WRITER_CHECKPOINT_PAGES } from './checkpointer.js';
import { openConnection } from './connection.js';
import { Deliveries } from './deliveries.js';
import type { DeliveryRequest, DeliveryResponse } from './delivery-thread.js';
import { OutboxWriter } from './push.js';

/*
 * The writer thread's side (delivery-thread.ts starts it): its own connection to the store, the same
 * Deliveries as inline, one batch at a time. The main thread has migrated the file before it starts.
 */
const port = parentPort!;
const db = openConnection((workerData as { file: string }).file);
db.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
// The apps' push configurations live in the main thread's memory. Here each batch's transaction reads them,
// once per app, so a sent event exists exactly when push was on as the send committed (and the outbox
// insert checks again). Asking per send was a fifth of the thread's time for apps without push.
const pushConfigured = db.prepare('SELECT 1 FROM push_configs WHERE appid = ?').pluck();
const pushOn = new Map<string, boolean>();
const configs = {
  has(appid: string): boolean {
    let on = pushOn.get(appid);
    if (on === undefined) {
      on = pushConfigured.get(appid) !== undefined;
      pushOn.set(appid, on);
    }
    return on;
  },
  forget: () => pushOn.clear(),
};
const deliveries = new Deliveries(db, new OutboxWriter(db, configs));

port.on('message', (request: DeliveryRequest) => {
  if (request === 'close') {
    db.close();
    port.close();
    return;
  }
  let response: DeliveryResponse;
  try {
    response = { outcomes: deliveries.run(request) };
  } catch (err) {
    response = { failed: err };
  }
  port.postMessage(response);
});
