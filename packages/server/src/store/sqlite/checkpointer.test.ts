import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, test } from 'vitest';
import { DAY, message, withGrants } from '../conformance/messages.conformance.js';
import { openSqliteStore } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'beckon-checkpoint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('the background checkpointer copies committed pages into the database file; close removes the WAL', async () => {
  const file = join(root, 'beckon.db');
  const store = openSqliteStore(file);
  const { app, user } = await withGrants(store, 250);
  const before = statSync(file).size;
  // ~300 pages of WAL: well under the writer's own checkpoint mark (10,000), so only the worker copies them.
  for (let i = 0; i < 250; i++) {
    await store.messages.deliver(message(app.appid, user.id, i, { title: 'x'.repeat(3000) }), DAY, 1e9);
  }
  const copied = () => statSync(file).size > before + 250 * 3000;
  const until = Date.now() + 5_000;
  while (!copied() && Date.now() < until) await sleep(50);
  expect(copied()).toBe(true);
  await store.close();
  expect(existsSync(`${file}-wal`)).toBe(false);
});
