import { randomBytes, randomInt } from 'node:crypto';
import { SDKAPPID_MAX, SDKAPPID_MIN } from '@beckon/protocol';
import type Database from 'better-sqlite3';
import { frontendOrigin } from './apps.js';

export interface Migration {
  id: number;
  name: string;
  sql: string;
  /** Runs after `sql`, in the same transaction: for data that SQL alone cannot make (random keys). */
  run?: (db: Database.Database) => void;
}

/**
 * Migration 6: every existing app gets an SDKAppID and an RTC secret key, drawn as `createApp` draws them
 * (random in SDKAPPID_MIN..SDKAPPID_MAX; the unique index refuses a repeat, which is drawn again).
 */
function giveAppsRtcCredentials(db: Database.Database): void {
  const apps = db.prepare('SELECT appid FROM apps WHERE sdk_app_id IS NULL ORDER BY rowid').pluck().all();
  const set = db.prepare('UPDATE apps SET sdk_app_id = ?, rtc_secret_key = ? WHERE appid = ?');
  for (const appid of apps) {
    for (;;) {
      try {
        set.run(randomInt(SDKAPPID_MIN, SDKAPPID_MAX + 1), randomBytes(32).toString('hex'), appid);
        break;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
      }
    }
  }
}

/**
 * Migration 14: each app's front-end origin, under a unique index. Where apps already shared an origin, the
 * oldest keeps its front end and the later ones lose theirs (each could have scripted the others' frames in
 * the phone): the operator gives them an origin of their own with `beckon app frontend`.
 */
function keepFrontendOrigins(db: Database.Database): void {
  const apps = db
    .prepare('SELECT appid, frontend FROM apps WHERE frontend IS NOT NULL ORDER BY created_at, rowid')
    .all() as { appid: string; frontend: string }[];
  const seen = new Set<string>();
  const set = db.prepare('UPDATE apps SET frontend = ?, frontend_origin = ? WHERE appid = ?');
  for (const { appid, frontend } of apps) {
    const origin = frontendOrigin(frontend)!;
    if (seen.has(origin)) set.run(null, null, appid);
    else set.run(frontend, origin, appid);
    seen.add(origin);
  }
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
  {
    id: 4,
    name: 'consent ledger, messages, daily send counts',
    sql: `
      ALTER TABLE apps ADD COLUMN daily_send_cap INTEGER;
      CREATE TABLE grants (
        appid TEXT NOT NULL REFERENCES apps(appid),
        user_id TEXT NOT NULL REFERENCES users(id),
        template_id TEXT NOT NULL,
        template_type INTEGER NOT NULL,
        remaining INTEGER NOT NULL DEFAULT 0 CHECK (remaining >= 0),
        active INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL,
        keep_choice INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (appid, user_id, template_id)
      );
      CREATE TABLE main_switches (
        appid TEXT NOT NULL REFERENCES apps(appid),
        user_id TEXT NOT NULL REFERENCES users(id),
        main_switch INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (appid, user_id)
      );
      CREATE TABLE consent_changes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        appid TEXT NOT NULL,
        user_id TEXT NOT NULL,
        template_id TEXT NOT NULL,
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE TABLE messages (
        msgid INTEGER PRIMARY KEY,
        appid TEXT NOT NULL REFERENCES apps(appid),
        user_id TEXT NOT NULL REFERENCES users(id),
        openid TEXT NOT NULL,
        template_id TEXT NOT NULL,
        app_name TEXT NOT NULL,
        title TEXT NOT NULL,
        rows TEXT NOT NULL,
        page TEXT,
        lang TEXT NOT NULL,
        miniprogram_state TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        read_at INTEGER
      );
      CREATE INDEX messages_inbox ON messages (user_id, msgid);
      CREATE INDEX messages_unread ON messages (user_id) WHERE read_at IS NULL;
      CREATE TABLE daily_sends (
        appid TEXT NOT NULL,
        day TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (appid, day)
      );
    `,
  },
  {
    id: 5,
    name: 'message push: configurations and the outbox',
    sql: `
      CREATE TABLE push_configs (
        appid TEXT PRIMARY KEY REFERENCES apps(appid),
        url TEXT NOT NULL,
        token TEXT NOT NULL,
        encoding_aes_key TEXT,
        format TEXT NOT NULL,
        mode TEXT NOT NULL,
        verified_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE push_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        appid TEXT NOT NULL,
        user_id TEXT NOT NULL,
        openid TEXT,
        event TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        lease_owner TEXT,
        lease_until INTEGER NOT NULL DEFAULT 0,
        last_status INTEGER,
        last_error TEXT,
        delivered_at INTEGER
      );
      CREATE INDEX push_outbox_due ON push_outbox (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX push_outbox_user ON push_outbox (appid, user_id, id) WHERE status = 'pending';
      CREATE INDEX push_outbox_log ON push_outbox (appid, id);
    `,
  },
  {
    id: 6,
    name: 'apps: SDKAppID and RTC secret key (calling)',
    // SQLite cannot add a NOT NULL column without a default: the adapter always writes both, and the run
    // step fills them for the apps that exist. A unique index lets many NULLs through until then.
    sql: `
      ALTER TABLE apps ADD COLUMN sdk_app_id INTEGER;
      ALTER TABLE apps ADD COLUMN rtc_secret_key TEXT;
      CREATE UNIQUE INDEX apps_sdk_app_id ON apps (sdk_app_id);
    `,
    run: giveAppsRtcCredentials,
  },
  {
    id: 7,
    name: 'calls: records, members, invitations with deadlines, per-app options',
    // Invitees carry call_id and sdk_app_id (copied from their invitation) so the busy check and the
    // login replay read one partial index each.
    sql: `
      CREATE TABLE calls (
        call_id TEXT PRIMARY KEY,
        appid TEXT NOT NULL REFERENCES apps(appid),
        sdk_app_id INTEGER NOT NULL,
        caller TEXT NOT NULL,
        call_type INTEGER NOT NULL,
        room_id INTEGER NOT NULL,
        group_id TEXT,
        started_at INTEGER NOT NULL,
        connected_at INTEGER,
        ended_at INTEGER,
        duration INTEGER,
        ended_by TEXT
      );
      CREATE INDEX calls_by_app ON calls (appid, started_at, call_id);
      CREATE TABLE call_members (
        call_id TEXT NOT NULL REFERENCES calls(call_id),
        sdk_app_id INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        session_id TEXT,
        joined_at INTEGER NOT NULL,
        left_at INTEGER,
        PRIMARY KEY (call_id, user_id)
      );
      CREATE INDEX call_members_active ON call_members (sdk_app_id, user_id) WHERE left_at IS NULL;
      CREATE TABLE call_invitations (
        invite_id TEXT PRIMARY KEY,
        call_id TEXT NOT NULL REFERENCES calls(call_id),
        inviter TEXT NOT NULL,
        group_id TEXT,
        cmd TEXT NOT NULL,
        timeout_seconds INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        deadline INTEGER NOT NULL,
        status TEXT NOT NULL
      );
      CREATE INDEX call_invitations_due ON call_invitations (deadline) WHERE status = 'pending';
      CREATE INDEX call_invitations_call ON call_invitations (call_id);
      CREATE TABLE call_invitees (
        invite_id TEXT NOT NULL REFERENCES call_invitations(invite_id),
        user_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        call_id TEXT NOT NULL,
        sdk_app_id INTEGER NOT NULL,
        state TEXT NOT NULL,
        settled_at INTEGER,
        session_id TEXT,
        PRIMARY KEY (invite_id, user_id)
      );
      CREATE INDEX call_invitees_pending ON call_invitees (sdk_app_id, user_id) WHERE state = 'pending';
      CREATE INDEX call_invitees_call ON call_invitees (call_id);
      CREATE TABLE call_settings (
        appid TEXT PRIMARY KEY REFERENCES apps(appid),
        multi_device INTEGER NOT NULL
      );
    `,
  },
  {
    id: 8,
    name: 'calls: when an invitee was rung on a live session (NO_RESP versus CALLING_TIMEOUT)',
    sql: 'ALTER TABLE call_invitees ADD COLUMN rung_at INTEGER;',
  },
  {
    id: 9,
    name: 'calls: each member’s camera/mic and node; node heartbeats (members of a dead node leave)',
    sql: `
      ALTER TABLE call_members ADD COLUMN video INTEGER;
      ALTER TABLE call_members ADD COLUMN audio INTEGER;
      ALTER TABLE call_members ADD COLUMN node_id TEXT;
      CREATE INDEX call_members_node ON call_members (node_id) WHERE left_at IS NULL;
      CREATE TABLE call_nodes (node_id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL);
    `,
  },
  {
    id: 10,
    name: 'inboxes as chains: each card names the user’s previous one; head and unread count per user',
    // Built from the two per-user indexes while they still exist, then they go: a send then writes one small
    // inbox row where it wrote two index entries (see inbox-chain.ts).
    sql: `
      ALTER TABLE messages ADD COLUMN previous_msgid INTEGER;
      UPDATE messages SET previous_msgid = (
        SELECT max(p.msgid) FROM messages p WHERE p.user_id = messages.user_id AND p.msgid < messages.msgid
      );
      CREATE TABLE inboxes (
        user_id TEXT PRIMARY KEY REFERENCES users(id),
        newest_msgid INTEGER NOT NULL,
        unread INTEGER NOT NULL CHECK (unread >= 0)
      ) WITHOUT ROWID;
      INSERT INTO inboxes (user_id, newest_msgid, unread)
        SELECT user_id, max(msgid), sum(read_at IS NULL) FROM messages GROUP BY user_id;
      DROP INDEX messages_inbox;
      DROP INDEX messages_unread;
    `,
  },
  {
    id: 11,
    name: 'friendships: one row per direction, written and removed in pairs',
    // Both directions, so a user's friends are one range of the primary key and joining a friend's rank or
    // interactions reads from either side alike; the pair is kept whole by the adapter's transactions.
    sql: `
      CREATE TABLE friendships (
        user_id TEXT NOT NULL REFERENCES users(id),
        friend_id TEXT NOT NULL REFERENCES users(id),
        since INTEGER NOT NULL,
        PRIMARY KEY (user_id, friend_id),
        CHECK (user_id <> friend_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    id: 12,
    name: 'apps: icon and front end (http(s) URLs, null when unset)',
    sql: `
      ALTER TABLE apps ADD COLUMN icon TEXT;
      ALTER TABLE apps ADD COLUMN frontend TEXT;
    `,
  },
  {
    id: 13,
    name: 'mini games: system message subscriptions and daily reminders, game updates, cloud storage, interactive values',
    // A reminder slot per (game, user, type) holds the last China day a once-a-day card went out: the card's
    // transaction takes it with one conditional upsert, and it never grows with the days.
    sql: `
      CREATE TABLE system_subscriptions (
        appid TEXT NOT NULL REFERENCES apps(appid),
        user_id TEXT NOT NULL REFERENCES users(id),
        msg_type TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('accept', 'reject')),
        kept INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (appid, user_id, msg_type)
      ) WITHOUT ROWID;
      CREATE INDEX system_subscribers ON system_subscriptions (appid, msg_type, user_id)
        WHERE status = 'accept';
      CREATE TABLE system_reminders (
        appid TEXT NOT NULL,
        user_id TEXT NOT NULL,
        msg_type TEXT NOT NULL,
        last_day TEXT NOT NULL,
        PRIMARY KEY (appid, user_id, msg_type)
      ) WITHOUT ROWID;
      CREATE TABLE game_updates (
        update_id TEXT PRIMARY KEY,
        appid TEXT NOT NULL REFERENCES apps(appid),
        version TEXT NOT NULL,
        phrases TEXT NOT NULL,
        published_at INTEGER NOT NULL,
        reminded INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX game_updates_version ON game_updates (appid, version);
      CREATE INDEX game_updates_newest ON game_updates (appid, published_at);
      CREATE TABLE cloud_storage (
        appid TEXT NOT NULL REFERENCES apps(appid),
        user_id TEXT NOT NULL REFERENCES users(id),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (appid, user_id, key)
      ) WITHOUT ROWID;
      CREATE TABLE interactive_values (
        appid TEXT NOT NULL REFERENCES apps(appid),
        user_id TEXT NOT NULL REFERENCES users(id),
        key TEXT NOT NULL,
        value INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (appid, user_id, key)
      ) WITHOUT ROWID;
    `,
  },
  {
    id: 14,
    name: 'apps: one front end per origin (two apps on one origin could act as each other in the phone)',
    // Filled by the run (a URL's origin is JavaScript's to compute); NULLs (no front end) do not collide.
    sql: `
      ALTER TABLE apps ADD COLUMN frontend_origin TEXT;
      CREATE UNIQUE INDEX apps_frontend_origin ON apps (frontend_origin);
    `,
    run: keepFrontendOrigins,
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
      m.run?.(db);
      db.prepare('INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)').run(
        m.id,
        m.name,
        Date.now(),
      );
    }).immediate();
  }
}
