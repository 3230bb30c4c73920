import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, expect, test } from 'vitest';
import { deleteKeysUnder } from '../test-support/redis.js';
import { ledgerStoreConformance } from './ledger-store.conformance.js';
import { MemoryLedgerStore } from './memory-store.js';
import { RedisLedgerStore } from './redis-store.js';

// One conformance suite, looped over every adapter. A new adapter is one more entry here.

ledgerStoreConformance('memory', () => new MemoryLedgerStore());

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) {
  test.skip('redis ledger store: REDIS_URL not set', () => {});
} else {
  const redis = new Redis(REDIS_URL);
  afterAll(() => redis.quit());
  const prefixes = new WeakMap<object, string>();
  ledgerStoreConformance(
    'redis',
    () => {
      // A prefix per test: nothing is shared with other tests or runs; removed afterwards.
      const prefix = `beckon-test:ledger:${randomUUID()}:`;
      const store = new RedisLedgerStore({ redis, prefix });
      prefixes.set(store, prefix);
      return store;
    },
    async (store) => {
      await deleteKeysUnder(redis, prefixes.get(store)!);
      await store.close();
    },
  );
}

test('memory: a snapshot restores counts, pairing and seen msgids; an in-flight reservation goes back to the count', async () => {
  let changes = 0;
  const a = new MemoryLedgerStore({ onChange: () => changes++ });
  await a.accept('o1', 't1', 'client', 60_000);
  await a.accept('o1', 't1', 'client', 60_000);
  await a.accept('o1', 't1', 'client', 60_000);
  await a.spend('o1', 't1', '42', 60_000);
  await a.reserve('o1', 't1');
  await a.setActive('o1', 'lt', true);
  expect(changes).toBe(6);

  const b = new MemoryLedgerStore({ restore: JSON.parse(JSON.stringify(a.snapshot())) });
  expect(await b.get('o1', 't1')).toEqual({ count: 2, reserved: 0, active: false });
  expect(await b.get('o1', 'lt')).toEqual({ count: 0, reserved: 0, active: true });
  expect(await b.spend('o1', 't1', '42', 60_000)).toBe(false);
  // The three client reports still absorb the popup events of the same accepts.
  expect(await b.accept('o1', 't1', 'event', 60_000)).toBe(false);
  // The latest accept is kept: a change event older than it is still stale after the restart.
  expect(await b.reset('o1', 't1', Math.floor(Date.now() / 1000) - 60)).toBe(false);
});

test('memory: a version 1 snapshot (before accept times and generations) is still read', async () => {
  const store = new MemoryLedgerStore({
    restore: { version: 1, entries: [['o1', 't1', 2, false]], marks: [] },
  });
  expect(await store.get('o1', 't1')).toEqual({ count: 2, reserved: 0, active: false });
  expect(await store.reserve('o1', 't1')).toEqual({ kind: 'one-time', generation: 0 });
  expect(() => new MemoryLedgerStore({ restore: { version: 3 } as never })).toThrow(/unknown version 3/);
});
