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
  // NORMAL loses no committed transaction on a process crash in WAL mode; FULL also survives power loss.
  db.pragma('synchronous = FULL');
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
