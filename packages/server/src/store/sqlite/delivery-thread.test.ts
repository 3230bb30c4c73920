import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { importBuilt } from '../../test-support/built.js';
import { T0 } from '../conformance/fixture.conformance.js';
import { DAY, message, withGrants } from '../conformance/messages.conformance.js';
import { pushConfigRecord } from '../conformance/push.conformance.js';
import { openConnection } from './connection.js';
import { deliveryWriter } from './delivery-thread.js';
import { openSqliteStore } from './index.js';
import type { SqliteMessages } from './messages.js';

const root = mkdtempSync(join(tmpdir(), 'beckon-delivery-thread-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const newFile = () => join(root, `${++n}`, 'beckon.db');

/** A writer thread of the test's own, as a module: `code` runs with `parentPort` imported. */
const threadScript = (code: string) =>
  new URL(
    `data:text/javascript,${encodeURIComponent(`import { parentPort } from 'node:worker_threads'; ${code}`)}`,
  );

// The thread's script is in the build only (the sources have no compiled worker): this part runs the build.
const { openSqliteStore: openBuiltStore } =
  await importBuilt<typeof import('./index.js')>('store/sqlite/index.js');

test('the built store commits sends on its writer thread; the event loop reads them at once', async () => {
  const store = openBuiltStore(newFile());
  try {
    expect((store.messages as SqliteMessages).writesOnThread).toBe(true);
    const { app, user, remaining } = await withGrants(store, 3);
    const sent = await Promise.all(
      [1, 2, 3, 4].map((i) => store.messages.deliver(message(app.appid, user.id, i), DAY, 1e9)),
    );
    expect(sent.sort()).toEqual(['delivered', 'delivered', 'delivered', 'no-grant']);
    expect(await remaining()).toBe(0);
    expect((await store.messages.inbox(user.id, 10)).map((m) => m.msgid)).toHaveLength(3);
    expect(await store.messages.unreadCount(user.id)).toBe(3);
    // Still on the thread after it committed them: it started (on the first send) and did not fail.
    expect((store.messages as SqliteMessages).writesOnThread).toBe(true);
  } finally {
    await store.close();
  }
});

test('the event loop writes (read marks, consent) while the thread commits sends: all of them land', async () => {
  const store = openBuiltStore(newFile());
  try {
    const { app, user, remaining } = await withGrants(store, 300);
    const first = message(app.appid, user.id, 0);
    expect(await store.messages.deliver(first, DAY, 1e9)).toBe('delivered');
    const sends = Array.from({ length: 200 }, (_, i) =>
      store.messages.deliver(message(app.appid, user.id, i + 1), DAY, 1e9),
    );
    // Interleaved with the sends in flight: each waits for the thread's write lock at most as long as the
    // batches out (messages.ts bounds them).
    const writes = Array.from({ length: 50 }, async (_, i) => {
      await new Promise((resolve) => setImmediate(resolve));
      await store.messages.markRead(user.id, first.msgid, T0 + i);
      await store.consent.recordDecisions(
        app.appid,
        user.id,
        [{ templateId: 'tmpl-other', templateType: 2, status: 'accept', source: 'popup' }],
        T0 + i,
      );
    });
    const sent = await Promise.all(sends);
    await Promise.all(writes);
    expect(new Set(sent)).toEqual(new Set(['delivered']));
    expect(await remaining()).toBe(99);
    expect((await store.consent.grants(app.appid, user.id, ['tmpl-other']))[0]?.remaining).toBe(50);
    expect(await store.messages.unreadCount(user.id)).toBe(200);
  } finally {
    await store.close();
  }
});

test('closing the store commits the sends already taken, then refuses new ones', async () => {
  const file = newFile();
  const store = openBuiltStore(file);
  // More than the 3 batches of 16 the thread may hold: some wait behind them as the store closes.
  const { app, user } = await withGrants(store, 60);
  const taken = Array.from({ length: 60 }, (_, i) =>
    store.messages.deliver(message(app.appid, user.id, i), DAY, 1e9),
  );
  const closed = store.close();
  await expect(store.messages.deliver(message(app.appid, user.id, 99), DAY, 1e9)).rejects.toThrow(/closed/);
  expect(new Set(await Promise.all(taken))).toEqual(new Set(['delivered']));
  await closed;
  const again = openBuiltStore(file);
  try {
    expect(await again.messages.unreadCount(user.id)).toBe(60);
  } finally {
    await again.close();
  }
});

test('push turned on between two sends: the thread writes the sent event of the second only', async () => {
  const store = openBuiltStore(newFile());
  try {
    const { app, user } = await withGrants(store, 2);
    expect(await store.messages.deliver(message(app.appid, user.id, 1), DAY, 1e9)).toBe('delivered');
    await store.push.setConfig(pushConfigRecord(app.appid));
    const second = message(app.appid, user.id, 2);
    expect(await store.messages.deliver(second, DAY, 1e9)).toBe('delivered');
    const events = await store.push.deliveries(app.appid, { limit: 10 });
    expect(events.map((e) => e.data)).toEqual([
      [{ templateId: second.templateId, msgid: second.msgid.toString() }],
    ]);
    expect((store.messages as SqliteMessages).writesOnThread).toBe(true);
  } finally {
    await store.close();
  }
});

test('from the sources, and for :memory:, sends commit inline', async () => {
  for (const file of [newFile(), ':memory:']) {
    const store = openSqliteStore(file);
    expect((store.messages as SqliteMessages).writesOnThread).toBe(false);
    await store.close();
  }
});

test('batches handed over before the first answers are committed and answered in order', async () => {
  const file = newFile();
  const store = openSqliteStore(file);
  const { app, user } = await withGrants(store, 3);
  await store.close();
  const { deliveryWriter: builtWriter } = await importBuilt<typeof import('./delivery-thread.js')>(
    'store/sqlite/delivery-thread.js',
  );
  const db = openConnection(file);
  const writer = builtWriter(db, file);
  const delivery = (i: number) => ({ m: message(app.appid, user.id, i), day: DAY, dailyCap: 1e9 });
  try {
    expect(writer.threaded).toBe(true);
    // Three grants: the third batch finds them spent only if the first two committed before it.
    const out = [
      writer.run([delivery(1), delivery(2)]),
      writer.run([delivery(1), delivery(3)]),
      writer.run([delivery(4), delivery(5)]),
    ];
    expect(await Promise.all(out)).toEqual([
      ['delivered', 'delivered'],
      ['duplicate-msgid', 'delivered'],
      ['no-grant', 'no-grant'],
    ]);
    expect(writer.threaded).toBe(true);
  } finally {
    await writer.close();
    db.close();
  }
});

test('a thread that answers a batch and then throws: the answer counts, the failure is the next batch’s', async () => {
  const file = newFile();
  const store = openSqliteStore(file);
  await store.close();
  const db = openConnection(file);
  // Node reports the throw at once and may do so before the answer posted just before it (a few percent of
  // runs): a hundred threads make that order all but certain to come up.
  const throws = threadScript(
    "parentPort.on('message', (b) => { parentPort.postMessage({ outcomes: b.map(() => 'delivered') }); throw new Error('boom'); });",
  );
  const delivery = { m: message('wx-none', 'nobody', 1), day: DAY, dailyCap: 1e9 };
  try {
    for (let i = 0; i < 100; i++) {
      const writer = deliveryWriter(db, file, undefined, throws);
      await expect(writer.run([delivery])).resolves.toEqual(['delivered']);
      await writer.close();
    }
  } finally {
    db.close();
  }
});

test('a writer thread that dies fails the batches it held; later batches commit inline', async () => {
  const file = newFile();
  const store = openSqliteStore(file);
  const { app, user } = await withGrants(store, 2);
  await store.close();
  const db = openConnection(file);
  // A thread that dies on its first batch, before answering.
  const dies = threadScript("parentPort.on('message', () => process.exit(3));");
  const writer = deliveryWriter(db, file, undefined, dies);
  try {
    expect(writer.threaded).toBe(true);
    const delivery = (i: number) => ({
      m: message(app.appid, user.id, i),
      day: DAY,
      dailyCap: 1e9,
    });
    const held = [writer.run([delivery(1)]), writer.run([delivery(4)])];
    for (const batch of held) await expect(batch).rejects.toThrow(/delivery thread exited \(3\)/);
    expect(writer.threaded).toBe(false);
    expect(await writer.run([delivery(2), delivery(3)])).toEqual(['delivered', 'delivered']);
    expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(2);
  } finally {
    await writer.close();
    db.close();
  }
});
