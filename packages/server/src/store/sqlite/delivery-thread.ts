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
  /** Waits for the batches in flight, then lets go of the thread; later batches are refused. */
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
 * The thread takes batches in order and answers each as it commits; the caller bounds how many are out
 * (messages.ts), which bounds how long an event-loop write can wait for the thread's write lock. If the
 * thread fails, the batches out fail with it and later ones commit inline.
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
  /** The batches handed over, oldest first: the thread answers them in order. */
  const inFlight: { resolve(outcomes: DeliveryOutcome[]): void; reject(err: unknown): void }[] = [];
  let thread: { worker: Worker; exited: Promise<void> } | undefined;
  const fail = (err: Error) => {
    broken ??= err;
    for (const waiting of inFlight.splice(0)) waiting.reject(err);
  };
  // Started by the first send: a CLI command or a server that never sends costs no thread.
  const started = () => {
    if (thread) return thread.worker;
    const worker = new Worker(script, { workerData: { file } });
    // It must not keep a process alive that has nothing else to do (a finished test, a stopping server).
    worker.unref();
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // A throw in the thread is reported at once, possibly before answers it posted earlier (batches that
    // committed) were handled; 'exit' comes after Node has handed those over. So the batches still out
    // fail then, and only they.
    let crash: Error | undefined;
    worker.on('error', (err) => {
      crash ??= err;
    });
    worker.once('exit', (code) => {
      if (!closing || crash) fail(crash ?? new Error(`the delivery thread exited (${code})`));
    });
    worker.on('message', (response: DeliveryResponse) => {
      const waiting = inFlight.shift();
      if (inFlight.length === 0 && !closing) worker.unref();
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
      const worker = started();
      return new Promise((resolve, reject) => {
        inFlight.push({ resolve, reject });
        // Held while batches are out: their callers are waiting for the answers.
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
