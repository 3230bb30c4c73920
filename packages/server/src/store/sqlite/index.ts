import type Database from 'better-sqlite3';
import type { SettingStore, Store } from '../port.js';
import { SqliteAccounts } from './accounts.js';
import { SqliteApps, SqliteTokens } from './apps.js';
import { SqliteCalls } from './calls.js';
import { startCheckpointer } from './checkpointer.js';
import { openConnection } from './connection.js';
import { SqliteConsent } from './consent.js';
import { SqliteFriends } from './friends.js';
import { SqliteGames } from './games.js';
import { SqliteMessages } from './messages.js';
import { migrate } from './migrations.js';
import { SqlitePush } from './push.js';
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
  const db = openConnection(file);
  migrate(db);
  const checkpointer = file === ':memory:' ? undefined : startCheckpointer(db, file);
  const push = new SqlitePush(db);
  const messages = new SqliteMessages(db, push.outbox, file);
  return {
    apps: new SqliteApps(db),
    tokens: new SqliteTokens(db),
    accounts: new SqliteAccounts(db),
    friends: new SqliteFriends(db),
    templates: new SqliteTemplates(db),
    consent: new SqliteConsent(db, push.outbox),
    messages,
    push,
    calls: new SqliteCalls(db, push.outbox),
    games: new SqliteGames(db),
    settings: new SqliteSettings(db),
    async close() {
      await messages.close();
      await checkpointer?.stop();
      if (db.open) db.close();
    },
  };
}
