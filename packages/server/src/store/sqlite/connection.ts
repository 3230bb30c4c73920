import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** A connection to the embedded store with Beckon's settings; the server's and its worker threads' alike. */
export function openConnection(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Another connection (a worker thread, or the CLI next to a running server) may hold the write lock.
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // Hot rows (tokens, apps, grants) stay in memory while the messages table grows.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
  // In WAL mode NORMAL loses no committed transaction when the process dies (kill -9): the WAL is written
  // before the commit returns, only its fsync waits for checkpoints. A power loss or OS crash can lose the
  // last commits; BECKON_SQLITE_SYNCHRONOUS=FULL trades ~3x send throughput for surviving that too.
  db.pragma(`synchronous = ${process.env.BECKON_SQLITE_SYNCHRONOUS === 'FULL' ? 'FULL' : 'NORMAL'}`);
  return db;
}
