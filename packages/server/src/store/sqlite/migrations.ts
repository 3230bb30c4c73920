import type Database from 'better-sqlite3';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

/** Append only: a migration, once released, is never edited. */
export const migrations: Migration[] = [
  {
    id: 1,
    name: 'apps, tokens, settings',
    sql: `
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE apps (
        appid TEXT PRIMARY KEY,
        secret TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        original_id TEXT NOT NULL,
        owner TEXT NOT NULL,
        subscribe_banned INTEGER NOT NULL DEFAULT 0,
        pages TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL
      );
      CREATE TABLE access_tokens (
        token TEXT PRIMARY KEY,
        appid TEXT NOT NULL REFERENCES apps(appid),
        family TEXT NOT NULL,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        valid_until INTEGER NOT NULL,
        seq INTEGER NOT NULL
      );
      CREATE INDEX access_tokens_latest ON access_tokens (appid, family, seq);
    `,
  },
  {
    id: 2,
    name: 'users, sessions, login codes, app users',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX users_username ON users (lower(username));
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE TABLE login_codes (
        code TEXT PRIMARY KEY,
        appid TEXT NOT NULL REFERENCES apps(appid),
        user_id TEXT NOT NULL REFERENCES users(id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      );
      CREATE TABLE app_users (
        appid TEXT NOT NULL REFERENCES apps(appid),
        user_id TEXT NOT NULL REFERENCES users(id),
        openid TEXT NOT NULL,
        unionid TEXT NOT NULL,
        session_key TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (appid, user_id)
      );
      CREATE UNIQUE INDEX app_users_openid ON app_users (appid, openid);
    `,
  },
  {
    id: 3,
    name: 'private templates',
    sql: `
      CREATE TABLE private_templates (
        pri_tmpl_id TEXT PRIMARY KEY,
        appid TEXT NOT NULL REFERENCES apps(appid),
        tid INTEGER NOT NULL,
        title TEXT NOT NULL,
        type INTEGER NOT NULL,
        scene_desc TEXT NOT NULL,
        keywords TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        seq INTEGER NOT NULL
      );
      CREATE INDEX private_templates_app ON private_templates (appid, seq);
    `,
  },
];

/** Applies the migrations the database has not seen, each in its own transaction. */
export function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const applied = new Set(db.prepare('SELECT id FROM migrations').pluck().all() as number[]);
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)').run(
        m.id,
        m.name,
        Date.now(),
      );
    }).immediate();
  }
}
