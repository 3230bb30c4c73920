import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** How often the background connection copies the WAL back into the database file. */
const CHECKPOINT_INTERVAL_MS = 200;
/**
 * The writer checkpoints by itself only when the WAL passes this many pages (~40 MiB): under a load that
 * never pauses the background checkpoints can never let the WAL start over, and this bounds its size.
 */
export const WRITER_CHECKPOINT_PAGES = 10_000;

/*
 * The worker is plain CommonJS run from a string, so it works the same from the sources (tests) and the
 * build. A checkpoint writes pages back and fsyncs: tens of milliseconds that would otherwise stall the
 * event loop inside whichever commit crossed SQLite's default 1,000-page mark.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: the next tick tries again */ }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage('closed');
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the background connection after a last checkpoint; the writer's close then removes the WAL. */
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the event loop: a worker thread with its own connection checkpoints every
 * 200 ms (PASSIVE: it never blocks the writer), and the writer's own automatic checkpoint is kept only as
 * a bound on the WAL's size.
 */
export function startCheckpointer(db: Database.Database, file: string): Checkpointer {
  db.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, file, intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  // It must not keep a process alive that has nothing else to do (a CLI command, a finished test).
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', () => {
    // Without it the writer checkpoints as SQLite does by default: slower, never wrong.
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  return {
    async stop() {
      // Referenced again: the caller awaits the exit, and an unreferenced worker would let the process end first.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
