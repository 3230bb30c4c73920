import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { DAY, message, withGrants } from '../conformance/messages.conformance.js';
import { openConnection } from './connection.js';
import { deliveryWriter } from './delivery-thread.js';
import { openSqliteStore } from './index.js';
import type { SqliteMessages } from './messages.js';

const root = mkdtempSync(join(tmpdir(), 'beckon-delivery-thread-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const newFile = () => join(root, `${++n}`, 'beckon.db');

// The thread's script is in the build only (the sources have no compiled worker): this part runs the build.
const built = new URL('../../../dist/store/sqlite/index.js', import.meta.url);
const { openSqliteStore: openBuiltStore } = (await import(built.href)) as typeof import('./index.js');

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

test('from the sources, and for :memory:, sends commit inline', async () => {
  for (const file of [newFile(), ':memory:']) {
    const store = openSqliteStore(file);
    expect((store.messages as SqliteMessages).writesOnThread).toBe(false);
    await store.close();
  }
});

test('a writer thread that dies fails the batch it held; later batches commit inline', async () => {
  const file = newFile();
  const store = openSqliteStore(file);
  const { app, user } = await withGrants(store, 2);
  await store.close();
  const db = openConnection(file);
  // A thread that dies on its first batch, before answering.
  const dies = new URL(
    `data:text/javascript,${encodeURIComponent(
      "import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(3));",
    )}`,
  );
  const writer = deliveryWriter(db, file, undefined, dies);
  try {
    expect(writer.threaded).toBe(true);
    const delivery = (i: number) => ({
      m: message(app.appid, user.id, i),
      day: DAY,
      dailyCap: 1e9,
      push: false,
    });
    await expect(writer.run([delivery(1)])).rejects.toThrow(/delivery thread exited \(3\)/);
    expect(writer.threaded).toBe(false);
    expect(await writer.run([delivery(2), delivery(3)])).toEqual(['delivered', 'delivered']);
    expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(2);
  } finally {
    await writer.close();
    db.close();
  }
});
