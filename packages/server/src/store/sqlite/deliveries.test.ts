import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { DAY, message, withGrants } from '../conformance/messages.conformance.js';
import type { MessageRecord } from '../port.js';
import { openConnection } from './connection.js';
import { Deliveries } from './deliveries.js';
import { openSqliteStore } from './index.js';
import { SqliteMessages } from './messages.js';

const root = mkdtempSync(join(tmpdir(), 'beckon-deliveries-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('a delivery that fails half way undoes only itself: its grant is back, its neighbours commit', async () => {
  const file = join(root, 'beckon.db');
  const store = openSqliteStore(file);
  const { app, user } = await withGrants(store, 3); // one-time grants: each send spends one
  await store.close();

  const db = openConnection(file);
  try {
    const deliveries = new Deliveries(db);
    const at = (n: number, over: Partial<MessageRecord> = {}) => ({
      m: message(app.appid, user.id, n, over),
      day: DAY,
      dailyCap: 1e9,
    });
    // The grant is spent before the insert fails (NOT NULL): only a savepoint gives it back.
    const broken = at(2, { lang: null as unknown as MessageRecord['lang'] });
    const outcomes = deliveries.run([at(1), broken, at(3)]);
    expect(outcomes[0]).toBe('delivered');
    expect(outcomes[1]).toBeInstanceOf(Error);
    expect(String(outcomes[1])).toMatch(/NOT NULL constraint failed: messages\.lang/);
    expect(outcomes[2]).toBe('delivered');

    const messages = new SqliteMessages(db);
    // The store is closed: read through this connection.
    expect(db.prepare('SELECT remaining FROM grants').pluck().get()).toBe(1);
    expect((await messages.inbox(user.id, 10)).map((m) => Number(m.msgid - 2n ** 60n))).toEqual([3, 1]);
    expect(await messages.unreadCount(user.id)).toBe(2);
    expect(db.prepare('SELECT count FROM daily_sends').pluck().get()).toBe(2);
  } finally {
    db.close();
  }
});
