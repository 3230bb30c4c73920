import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SettingStore, Store } from '../port.js';
import { SqliteAccounts } from './accounts.js';
import { SqliteApps, SqliteTokens } from './apps.js';
import { SqliteConsent } from './consent.js';
import { SqliteMessages } from './messages.js';
import { migrate } from './migrations.js';
import { statements } from './statements.js';
import { SqliteTemplates } from './templates.js';

class SqliteSettings implements SettingStore {
  private readonly sql;
  constructor(db: Database.Database) {
    this.sql = statements(db);
  }
  async getOrInit(key: string, initial: string): Promise<string> {
    this.sql('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(
      key,
      initial,
    );
    return this.sql('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string;
  }
}

/**
 * The embedded store: one SQLite file (or `:memory:`), migrated on open. better-sqlite3 is synchronous, so
 * each port method runs to completion (and its transaction commits) before another can start.
 */
export function openSqliteStore(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // A second process (the CLI next to a running server) may hold the write lock for a moment.
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // Hot rows (tokens, apps, grants) stay in memory while the messages table grows.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
  // In WAL mode NORMAL loses no committed transaction when the process dies (kill -9): the WAL is written
  // before the commit returns, only its fsync waits for checkpoints. A power loss or OS crash can lose the
  // last commits; BECKON_SQLITE_SYNCHRONOUS=FULL trades ~3x send throughput for surviving that too.
  db.pragma(`synchronous = ${process.env.BECKON_SQLITE_SYNCHRONOUS === 'FULL' ? 'FULL' : 'NORMAL'}`);
  migrate(db);
  return {
    apps: new SqliteApps(db),
    tokens: new SqliteTokens(db),
    accounts: new SqliteAccounts(db),
    templates: new SqliteTemplates(db),
    consent: new SqliteConsent(db),
    messages: new SqliteMessages(db),
    settings: new SqliteSettings(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
