import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { Deliveries, type Delivery, type DeliveryOutcome } from './deliveries.js';
import type { OutboxWriter } from './push.js';

/** What commits a batch of deliveries: on the event loop, or on a writer thread. */
export interface DeliveryWriter {
  /** The batch's outcomes once it has committed; rejects (committing nothing) when the transaction fails. */
  run(batch: Delivery[]): Promise<DeliveryOutcome[]>;
  /** Waits for the batch in flight, then lets go of the thread; later batches are refused. */
  close(): Promise<void>;
  /** Whether batches commit on the writer thread now (false: inline, or the thread failed). */
  readonly threaded: boolean;
}

export type DeliveryRequest = Delivery[] | 'close';
export type DeliveryResponse = { outcomes: DeliveryOutcome[] } | { failed: unknown };

/** The built worker; running from the TypeScript sources (the tests) there is none, and sends commit inline. */
const WORKER = new URL('./delivery-worker.js', import.meta.url);

/** Deliveries on the event loop: for `:memory:` (one connection only) and the sources. */
export function inlineWriter(db: Database.Database, outbox?: OutboxWriter): DeliveryWriter {
  const deliveries = new Deliveries(db, outbox);
  return { run: async (batch) => deliveries.run(batch), close: async () => {}, threaded: false };
}

/**
 * The send's transaction on a thread of its own, with its own connection: the event loop goes on parsing,
 * checking and answering requests while a batch commits (SQLite was ~16% of a send's main-thread time).
 * One batch is in flight at a time, so the thread holds the write lock only while the event loop waits for
 * it, and the event loop's own writes never wait long. If the thread fails, sends commit inline again.
 */
export function deliveryWriter(
  db: Database.Database,
  file: string,
  outbox?: OutboxWriter,
  /** The worker's script; tests give one of their own. */
  script: URL = WORKER,
): DeliveryWriter {
  const inline = inlineWriter(db, outbox);
  if (file === ':memory:' || (script.protocol === 'file:' && !existsSync(fileURLToPath(script))))
    return inline;

  let broken: Error | undefined;
  let closing = false;
  let inFlight: { resolve(outcomes: DeliveryOutcome[]): void; reject(err: unknown): void } | undefined;
  let thread: { worker: Worker; exited: Promise<void> } | undefined;
  const fail = (err: Error) => {
    broken ??= err;
    inFlight?.reject(err);
    inFlight = undefined;
  };
  // Started by the first send: a CLI command or a server that never sends costs no thread.
  const started = () => {
    if (thread) return thread.worker;
    const worker = new Worker(script, { workerData: { file } });
    // It must not keep a process alive that has nothing else to do (a finished test, a stopping server).
    worker.unref();
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.on('error', fail);
    worker.once('exit', (code) => {
      if (!closing) fail(new Error(`the delivery thread exited (${code})`));
    });
    worker.on('message', (response: DeliveryResponse) => {
      const waiting = inFlight;
      inFlight = undefined;
      if (!closing) worker.unref();
      if ('outcomes' in response) waiting?.resolve(response.outcomes);
      else waiting?.reject(response.failed);
    });
    thread = { worker, exited };
    return worker;
  };

  return {
    get threaded() {
      return !broken;
    },
    run(batch) {
      if (closing) return Promise.reject(new Error('the store is closed'));
      if (broken) return inline.run(batch);
      if (inFlight) return Promise.reject(new Error('a delivery batch is already in flight'));
      const worker = started();
      return new Promise((resolve, reject) => {
        inFlight = { resolve, reject };
        // Held while a batch is out: its callers are waiting for the answer.
        worker.ref();
        worker.postMessage(batch satisfies DeliveryRequest);
      });
    },
    async close() {
      closing = true;
      if (thread && !broken) {
        thread.worker.ref();
        thread.worker.postMessage('close' satisfies DeliveryRequest);
        await thread.exited;
      }
    },
  };
}
