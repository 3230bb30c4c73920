import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { LedgerStore } from './store.js';

/**
 * The LedgerStore contract of store.ts. Every adapter runs it from ledger-store.test.ts; `open` must give a
 * store that shares nothing with earlier ones (a fresh instance, or a fresh key prefix), `dispose` removes
 * what the store wrote.
 */
export function ledgerStoreConformance(
  name: string,
  open: () => Promise<LedgerStore> | LedgerStore,
  dispose: (store: LedgerStore) => Promise<void> = (s) => s.close(),
): void {
  describe(`LedgerStore: ${name}`, () => {
    let store: LedgerStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(() => dispose(store));

    const DAY = 86_400_000;
    // Short enough for real time, with a margin for a loaded machine.
    const SHORT_TTL = 150;

    test('an entry never written is all zeros', async () => {
      expect(await store.get('o1', 't1')).toEqual({ count: 0, reserved: 0, active: false });
      expect(await store.reserve('o1', 't1')).toBeNull();
    });

    test('accepts from one source add up; entries of other users and templates stay apart', async () => {
      for (let i = 0; i < 3; i++) expect(await store.accept('o1', 't1', 'client', DAY)).toBe(true);
      await store.accept('o1', 't2', 'event', DAY);
      // Characters that a naive key layout would confuse.
      await store.accept('o:1}{', 't:1', 'client', DAY);
      expect((await store.get('o1', 't1')).count).toBe(3);
      expect((await store.get('o1', 't2')).count).toBe(1);
      expect((await store.get('o2', 't1')).count).toBe(0);
      expect((await store.get('o:1}{', 't:1')).count).toBe(1);
      expect((await store.get('o', '1}{:t:1')).count).toBe(0);
    });

    test('the same accept reported by the client and by the event counts once, in either order', async () => {
      expect(await store.accept('o1', 't1', 'client', DAY)).toBe(true);
      expect(await store.accept('o1', 't1', 'event', DAY)).toBe(false);
      expect(await store.accept('o1', 't2', 'event', DAY)).toBe(true);
      expect(await store.accept('o1', 't2', 'client', DAY)).toBe(false);
      // Two reports from each side: two accepts.
      await store.accept('o1', 't3', 'client', DAY);
      await store.accept('o1', 't3', 'client', DAY);
      await store.accept('o1', 't3', 'event', DAY);
      await store.accept('o1', 't3', 'event', DAY);
      expect((await store.get('o1', 't1')).count).toBe(1);
      expect((await store.get('o1', 't2')).count).toBe(1);
      expect((await store.get('o1', 't3')).count).toBe(2);
    });

    test('an unmatched report stops absorbing the other side after its TTL', async () => {
      await store.accept('o1', 't1', 'client', SHORT_TTL);
      await sleep(SHORT_TTL + 100);
      expect(await store.accept('o1', 't1', 'event', DAY)).toBe(true);
      expect((await store.get('o1', 't1')).count).toBe(2);
    });

    test('reserve takes one from count; release gives it back; never below zero', async () => {
      await store.accept('o1', 't1', 'client', DAY);
      expect(await store.reserve('o1', 't1')).toEqual({ kind: 'one-time', generation: 0 });
      expect(await store.get('o1', 't1')).toEqual({ count: 0, reserved: 1, active: false });
      expect(await store.reserve('o1', 't1')).toBeNull();
      await store.release('o1', 't1', 0);
      expect(await store.get('o1', 't1')).toEqual({ count: 1, reserved: 0, active: false });
      // Nothing reserved: release changes nothing.
      await store.release('o1', 't1', 0);
      expect(await store.get('o1', 't1')).toEqual({ count: 1, reserved: 0, active: false });
    });

    test('spend takes a reservation, else one from count, once per msgid, never below zero', async () => {
      for (let i = 0; i < 3; i++) await store.accept('o1', 't1', 'client', DAY);
      const r = await store.reserve('o1', 't1');
      expect(
        await store.spend('o1', 't1', '1864323726461255680', DAY, r?.kind === 'one-time' ? r.generation : -1),
      ).toBe(true);
      expect(await store.get('o1', 't1')).toEqual({ count: 2, reserved: 0, active: false });
      // The same msgid again (its sent event after the send's answer): nothing.
      expect(await store.spend('o1', 't1', '1864323726461255680', DAY)).toBe(false);
      expect((await store.get('o1', 't1')).count).toBe(2);
      // A send the mirror did not make: from count.
      expect(await store.spend('o1', 't1', '1864323726461255681', DAY)).toBe(true);
      expect(await store.spend('o1', 't1', '1864323726461255682', DAY)).toBe(true);
      expect(await store.spend('o1', 't1', '1864323726461255683', DAY)).toBe(true);
      expect(await store.get('o1', 't1')).toEqual({ count: 0, reserved: 0, active: false });
    });

    test('a seen msgid is forgotten after its TTL', async () => {
      await store.accept('o1', 't1', 'client', DAY);
      await store.accept('o1', 't1', 'client', DAY);
      expect(await store.spend('o1', 't1', '42', SHORT_TTL)).toBe(true);
      await sleep(SHORT_TTL + 100);
      expect(await store.spend('o1', 't1', '42', SHORT_TTL)).toBe(true);
      expect((await store.get('o1', 't1')).count).toBe(0);
    });

    test('a long-term template reserves while active and spends nothing; reset deactivates', async () => {
      await store.setActive('o1', 'lt', true);
      expect(await store.reserve('o1', 'lt')).toEqual({ kind: 'long-term' });
      expect(await store.get('o1', 'lt')).toEqual({ count: 0, reserved: 0, active: true });
      await store.reset('o1', 'lt');
      expect(await store.reserve('o1', 'lt')).toBeNull();
      await store.setActive('o1', 'lt', true);
      await store.setActive('o1', 'lt', false);
      expect((await store.get('o1', 'lt')).active).toBe(false);
    });

    test('reset zeroes count and reservations: in-flight sends then refund nothing', async () => {
      for (let i = 0; i < 3; i++) await store.accept('o1', 't1', 'client', DAY);
      const r = await store.reserve('o1', 't1');
      expect(await store.reset('o1', 't1')).toBe(true);
      expect(await store.get('o1', 't1')).toEqual({ count: 0, reserved: 0, active: false });
      await store.release('o1', 't1', r?.kind === 'one-time' ? r.generation : -1);
      expect(await store.spend('o1', 't1', '7', DAY)).toBe(true);
      expect(await store.get('o1', 't1')).toEqual({ count: 0, reserved: 0, active: false });
      // Unmatched reports are cleared: an accept after the reset is a new one, not the other side of an old one.
      await store.accept('o1', 't2', 'client', DAY);
      await store.reset('o1', 't2');
      expect(await store.accept('o1', 't2', 'event', DAY)).toBe(true);
      expect((await store.get('o1', 't2')).count).toBe(1);
    });

    test('a send reserved before a reset spends and refunds nothing of the grants added after it', async () => {
      await store.accept('o1', 't1', 'client', DAY);
      const before = await store.reserve('o1', 't1');
      expect(before).toEqual({ kind: 'one-time', generation: expect.any(Number) });
      const oldGeneration = before?.kind === 'one-time' ? before.generation : -1;
      await store.reset('o1', 't1');
      await store.accept('o1', 't1', 'client', DAY);
      // The old send succeeds: its spend takes nothing (the reset already did); the new grant stays.
      expect(await store.spend('o1', 't1', '100', DAY, oldGeneration)).toBe(true);
      expect(await store.get('o1', 't1')).toEqual({ count: 1, reserved: 0, active: false });
      // A new send reserves in the new generation; an old send's failure refunds nothing into it.
      const after = await store.reserve('o1', 't1');
      expect(after).toEqual({ kind: 'one-time', generation: expect.any(Number) });
      expect(after?.kind === 'one-time' && after.generation).not.toBe(oldGeneration);
      await store.release('o1', 't1', oldGeneration);
      expect(await store.get('o1', 't1')).toEqual({ count: 0, reserved: 1, active: false });
      await store.release('o1', 't1', after?.kind === 'one-time' ? after.generation : -1);
      expect(await store.get('o1', 't1')).toEqual({ count: 1, reserved: 0, active: false });
    });

    test('a reset older than the latest accept changes nothing; a newer or timeless one resets', async () => {
      await store.accept('o1', 't1', 'client', DAY, { at: 1_700_000_100 });
      expect(await store.reset('o1', 't1', 1_700_000_099)).toBe(false);
      expect(await store.get('o1', 't1')).toEqual({ count: 1, reserved: 0, active: false });
      // The popup event of that accept, arriving after the stale change, still pairs with the report.
      expect(await store.accept('o1', 't1', 'event', DAY, { at: 1_700_000_100 })).toBe(false);
      expect((await store.get('o1', 't1')).count).toBe(1);
      // An older accept reported later does not move the latest accept back.
      await store.accept('o1', 't1', 'event', DAY, { at: 1_700_000_050 });
      expect(await store.reset('o1', 't1', 1_700_000_099)).toBe(false);
      expect(await store.reset('o1', 't1', 1_700_000_100)).toBe(true);
      expect((await store.get('o1', 't1')).count).toBe(0);
      // A long-term accept counts as an accept too.
      await store.setActive('o1', 'lt', true, 1_700_000_200);
      expect(await store.reset('o1', 'lt', 1_700_000_199)).toBe(false);
      expect((await store.get('o1', 'lt')).active).toBe(true);
      // Without a time (the client's refusal, a 43101): always.
      expect(await store.reset('o1', 'lt')).toBe(true);
      expect((await store.get('o1', 'lt')).active).toBe(false);
    });

    test('an accept with a once id is applied once per id, also under concurrency', async () => {
      const once = { id: 'evt-1:0', ttlMs: DAY };
      const grew = await Promise.all(
        Array.from({ length: 10 }, () => store.accept('o1', 't1', 'event', DAY, { once })),
      );
      expect(grew.filter(Boolean)).toHaveLength(1);
      expect(await store.accept('o1', 't1', 'event', DAY, { once: { id: 'evt-1:1', ttlMs: DAY } })).toBe(
        true,
      );
      // The same id on another entry is another item.
      expect(await store.accept('o1', 't2', 'event', DAY, { once })).toBe(true);
      expect((await store.get('o1', 't1')).count).toBe(2);
      expect((await store.get('o1', 't2')).count).toBe(1);
    });

    test('200 concurrent reserves of 50 sends: exactly 50 succeed, count never below zero', async () => {
      await Promise.all(Array.from({ length: 50 }, () => store.accept('o1', 't1', 'client', DAY)));
      expect((await store.get('o1', 't1')).count).toBe(50);
      const got = await Promise.all(Array.from({ length: 200 }, () => store.reserve('o1', 't1')));
      expect(got.filter((r) => r?.kind === 'one-time')).toHaveLength(50);
      expect(got.filter((r) => r === null)).toHaveLength(150);
      expect(await store.get('o1', 't1')).toEqual({ count: 0, reserved: 50, active: false });
      // Each msgid spent twice at once (answer and event racing): 50 spends, not 100.
      const spent = await Promise.all(
        Array.from({ length: 100 }, (_, i) => store.spend('o1', 't1', String(1000 + (i % 50)), DAY)),
      );
      expect(spent.filter(Boolean)).toHaveLength(50);
      expect(await store.get('o1', 't1')).toEqual({ count: 0, reserved: 0, active: false });
    });

    test('concurrent releases and reserves keep count + reserved constant', async () => {
      for (let i = 0; i < 10; i++) await store.accept('o1', 't1', 'client', DAY);
      await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          const r = await store.reserve('o1', 't1');
          if (r?.kind === 'one-time' && i % 2 === 0) await store.release('o1', 't1', r.generation);
        }),
      );
      const e = await store.get('o1', 't1');
      expect(e.count + e.reserved).toBe(10);
      expect(e.count).toBeGreaterThanOrEqual(0);
    });

    test('markSeen is true once per id within its TTL, also under concurrency; seen tells without marking', async () => {
      expect(await store.seen('evt-1')).toBe(false);
      const first = await Promise.all(Array.from({ length: 20 }, () => store.markSeen('evt-1', SHORT_TTL)));
      expect(first.filter(Boolean)).toHaveLength(1);
      expect(await store.seen('evt-1')).toBe(true);
      expect(await store.markSeen('evt-2', DAY)).toBe(true);
      await sleep(SHORT_TTL + 100);
      expect(await store.seen('evt-1')).toBe(false);
      expect(await store.markSeen('evt-1', DAY)).toBe(true);
      expect(await store.markSeen('evt-2', DAY)).toBe(false);
    });
  });
}
