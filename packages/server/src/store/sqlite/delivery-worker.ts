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
// The app's push configuration lives in the main thread's memory: here the outbox insert itself checks it,
// in the send's transaction, so a sent event exists exactly when push was on as the send committed.
const deliveries = new Deliveries(db, new OutboxWriter(db, { has: () => true }));

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
