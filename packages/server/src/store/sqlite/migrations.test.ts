import { isSdkAppId, RTC_SECRET_KEY_PATTERN } from '@beckon/protocol';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { SqliteApps } from './apps.js';
import { migrate, migrations } from './migrations.js';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
});
afterEach(() => db.close());

const applied = () =>
  db.prepare('SELECT id, name, applied_at AS appliedAt FROM migrations ORDER BY id').all() as {
    id: number;
    name: string;
    appliedAt: number;
  }[];

/** Every table, index and its SQL: the whole shape of the schema. */
const schema = () => db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all();

const latestId = Math.max(...migrations.map((m) => m.id));

test('migration ids are unique and strictly increasing (append only)', () => {
  const ids = migrations.map((m) => m.id);
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids[0]).toBe(1);
});

test('a fresh database reaches the latest migration, each one recorded once', () => {
  migrate(db);
  expect(applied().map(({ id, name }) => ({ id, name }))).toEqual(
    migrations.map(({ id, name }) => ({ id, name })),
  );
  expect(db.prepare('SELECT max(id) FROM migrations').pluck().get()).toBe(latestId);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
  for (const table of ['apps', 'access_tokens', 'settings', 'users', 'private_templates']) {
    expect(tables).toContain(table);
  }
});

test('migrating twice is a no-op: same records, same schema, data untouched', () => {
  migrate(db);
  db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
  const records = applied();
  const shape = schema();
  migrate(db);
  expect(applied()).toEqual(records);
  expect(schema()).toEqual(shape);
  expect(db.prepare("SELECT value FROM settings WHERE key = 'k'").pluck().get()).toBe('v');
});

test('a database from an older release gets only the migrations it lacks, keeping its data', () => {
  // Simulate a release that shipped migration 1 only.
  db.exec(
    'CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const first = migrations[0]!;
  db.exec(first.sql);
  db.prepare('INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)').run(first.id, first.name, 7);
  db.prepare("INSERT INTO settings (key, value) VALUES ('openid-secret', 'kept')").run();

  migrate(db);

  expect(applied().map((m) => m.id)).toEqual(migrations.map((m) => m.id));
  // Migration 1 was not re-run (its record keeps the old timestamp) and the old data is still there.
  expect(applied()[0]?.appliedAt).toBe(7);
  expect(db.prepare("SELECT value FROM settings WHERE key = 'openid-secret'").pluck().get()).toBe('kept');
});

test('a failing migration leaves no half-applied state behind', () => {
  migrate(db);
  const before = schema();
  const broken = {
    id: latestId + 1,
    name: 'broken',
    sql: 'CREATE TABLE half (x INTEGER); SELECT * FROM nope;',
  };
  migrations.push(broken);
  try {
    expect(() => migrate(db)).toThrow(/nope/);
  } finally {
    migrations.pop();
  }
  expect(schema()).toEqual(before);
  expect(db.prepare('SELECT max(id) FROM migrations').pluck().get()).toBe(latestId);
});

/** Applies the migrations up to `id` by hand, as a release that shipped them would have. */
function migrateUpTo(id: number): void {
  db.exec(
    'CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  for (const m of migrations.filter((m) => m.id <= id)) {
    db.exec(m.sql);
    m.run?.(db);
    db.prepare('INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)').run(m.id, m.name, 7);
  }
}

test('migration 6: apps made before it get a unique SDKAppID and an RTC secret key, the rest kept', async () => {
  migrateUpTo(5);
  const insert = db.prepare(
    `INSERT INTO apps (appid, secret, name, type, original_id, owner, pages, daily_send_cap, created_at)
       VALUES (?, ?, ?, 'miniprogram', 'gh_000000000000', 'default', '["p/a"]', 9, ?)`,
  );
  const appids = ['wx0000000000000001', 'wx0000000000000002', 'wx0000000000000003'];
  for (const [i, appid] of appids.entries()) insert.run(appid, `${i}`.repeat(32), `App ${i}`, 1000 + i);

  migrate(db);

  const rows = db
    .prepare(
      'SELECT appid, secret, name, daily_send_cap, sdk_app_id, rtc_secret_key FROM apps ORDER BY appid',
    )
    .all() as {
    appid: string;
    secret: string;
    name: string;
    daily_send_cap: number;
    sdk_app_id: number;
    rtc_secret_key: string;
  }[];
  expect(rows.map((r) => r.appid)).toEqual(appids);
  for (const [i, r] of rows.entries()) {
    expect(isSdkAppId(r.sdk_app_id)).toBe(true);
    expect(r.rtc_secret_key).toMatch(RTC_SECRET_KEY_PATTERN);
    expect(r).toMatchObject({ secret: `${i}`.repeat(32), name: `App ${i}`, daily_send_cap: 9 });
  }
  expect(new Set(rows.map((r) => r.sdk_app_id)).size).toBe(3);
  expect(new Set(rows.map((r) => r.rtc_secret_key)).size).toBe(3);

  // The store reads them, also by SDKAppID; the unique index refuses a second app with a taken SDKAppID.
  const apps = new SqliteApps(db);
  const first = await apps.getBySdkAppId(rows[0]!.sdk_app_id);
  expect(first).toMatchObject({ appid: appids[0], pages: ['p/a'], rtcSecretKey: rows[0]!.rtc_secret_key });
  expect(() =>
    db.prepare("UPDATE apps SET sdk_app_id = ? WHERE appid = 'wx0000000000000002'").run(rows[0]!.sdk_app_id),
  ).toThrow(/UNIQUE/);

  // Migrating again leaves the keys as they are.
  migrate(db);
  expect(db.prepare('SELECT rtc_secret_key FROM apps ORDER BY appid').pluck().all()).toEqual(
    rows.map((r) => r.rtc_secret_key),
  );
});

test('migration 10: inboxes written before it read the same after, in order, with their unread counts', async () => {
  migrateUpTo(9);
  db.prepare(
    `INSERT INTO apps (appid, secret, name, type, original_id, owner, created_at)
       VALUES ('wx0000000000000001', 's', 'App', 'miniprogram', 'gh_000000000000', 'default', 1)`,
  ).run();
  const user = db.prepare(
    "INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, '', '', 1)",
  );
  for (const id of ['ann', 'bob', 'cy']) user.run(id, id);
  const message = db.prepare(
    `INSERT INTO messages (msgid, appid, user_id, openid, template_id, app_name, title, rows, page, lang,
       miniprogram_state, created_at, read_at)
     VALUES (?, 'wx0000000000000001', ?, 'o', 't', 'App', 'Title', '[]', NULL, 'zh_CN', 'formal', 1, ?)`,
  );
  const id = (n: number) => 2n ** 60n + BigInt(n);
  // Interleaved users, inserted out of msgid order, some read.
  const rows: [number, string, number | null][] = [
    [5, 'ann', null],
    [2, 'bob', 9],
    [1, 'ann', 9],
    [7, 'ann', null],
    [3, 'bob', null],
    [4, 'ann', 9],
  ];
  for (const [n, userId, readAt] of rows) message.run(id(n), userId, readAt);

  migrate(db);

  const { SqliteMessages } = await import('./messages.js');
  const messages = new SqliteMessages(db);
  const inbox = async (userId: string) =>
    (await messages.inbox(userId, 10)).map((m) => Number(m.msgid - id(0)));
  expect(await inbox('ann')).toEqual([7, 5, 4, 1]);
  expect(await inbox('bob')).toEqual([3, 2]);
  expect(await inbox('cy')).toEqual([]);
  expect(await messages.unreadCount('ann')).toBe(2);
  expect(await messages.unreadCount('bob')).toBe(1);
  expect((await messages.inbox('ann', 2, id(5)))?.map((m) => Number(m.msgid - id(0)))).toEqual([4, 1]);
  // The per-user indexes are gone: the chain replaced them.
  const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all();
  expect(indexes).not.toContain('messages_inbox');
  expect(indexes).not.toContain('messages_unread');
});

test('migration 14: each app keeps its front end on an origin of its own; later apps on a taken one lose it', async () => {
  migrateUpTo(13);
  const insert = db.prepare(
    `INSERT INTO apps (appid, secret, name, type, original_id, owner, created_at, sdk_app_id, rtc_secret_key,
                       frontend)
       VALUES (?, 's', ?, 'miniprogram', 'gh_000000000000', 'default', ?, ?, 'k', ?)`,
  );
  // Inserted out of age order: the oldest app of an origin keeps it, whatever its rowid.
  const rows: [string, number, string | null][] = [
    ['wx0000000000000001', 3, 'https://shop.example/later/'],
    ['wx0000000000000002', 1, 'https://shop.example/mp/'],
    ['wx0000000000000003', 2, 'https://game.example/'],
    ['wx0000000000000004', 4, null],
    ['wx0000000000000005', 5, 'https://shop.example:8443/'],
  ];
  for (const [appid, createdAt, frontend] of rows)
    insert.run(appid, appid, createdAt, 1_400_000_000 + createdAt, frontend);

  migrate(db);

  const apps = new SqliteApps(db);
  const frontends = (await apps.list()).map((a) => [a.appid, a.frontend]);
  expect(frontends).toEqual([
    ['wx0000000000000002', 'https://shop.example/mp/'],
    ['wx0000000000000003', 'https://game.example/'],
    ['wx0000000000000001', null],
    ['wx0000000000000004', null],
    ['wx0000000000000005', 'https://shop.example:8443/'],
  ]);
  // The origins are held: the store refuses a taken one, and so does the index beneath it.
  expect(await apps.update('wx0000000000000001', { frontend: 'https://shop.example/again/' })).toEqual({
    frontendOriginTakenBy: 'wx0000000000000002',
  });
  expect(() =>
    db
      .prepare("UPDATE apps SET frontend_origin = 'https://game.example' WHERE appid = 'wx0000000000000004'")
      .run(),
  ).toThrow(/UNIQUE/);
});
