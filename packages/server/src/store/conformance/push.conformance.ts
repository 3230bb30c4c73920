import { CALL_EVENTS } from '@beckon/protocol';
import { describe, expect, test } from 'vitest';
import type { PushConfigRecord, PushDeliveryRecord, Store } from '../port.js';
import { appAndUser, type OpenStore, type StoreFixture, T0, userRecord } from './fixture.conformance.js';
import { DAY, message, withGrants } from './messages.conformance.js';

const NO_CAP = 1_000_000_000;
const LEASE = 60_000;

export function pushConfigRecord(appid: string, over: Partial<PushConfigRecord> = {}): PushConfigRecord {
  return {
    appid,
    url: 'https://shop.example.com/wechat/push',
    token: 'Tok3n',
    encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    format: 'json',
    mode: 'secure',
    verifiedAt: T0,
    updatedAt: T0,
    ...over,
  };
}

const outbox = (store: Store, appid: string) => store.push.deliveries(appid, { limit: 100 });
/** The outbox of the app, oldest first, as (event, data). */
const events = async (store: Store, appid: string) =>
  (await outbox(store, appid)).reverse().map((r) => ({ event: r.event, data: r.data }));

/** The PushStore contract: configurations, the outbox its writers fill in their own transactions, leases. */
export function pushConformance(
  f: StoreFixture,
  open: OpenStore,
  reopen?: (closed: Store) => Promise<Store> | Store,
): void {
  describe('push', () => {
    test('a configuration is stored, replaced and deleted exactly', async () => {
      const { app } = await appAndUser(f.store);
      expect(await f.store.push.getConfig(app.appid)).toBeUndefined();
      const first = pushConfigRecord(app.appid);
      await f.store.push.setConfig(first);
      expect(await f.store.push.getConfig(app.appid)).toEqual(first);
      const second = pushConfigRecord(app.appid, {
        url: 'http://127.0.0.1:9/x',
        encodingAESKey: null,
        format: 'xml',
        mode: 'plaintext',
        updatedAt: T0 + 1,
      });
      await f.store.push.setConfig(second);
      expect(await f.store.push.getConfig(app.appid)).toEqual(second);
      expect(await f.store.push.deleteConfig(app.appid)).toBe(true);
      expect(await f.store.push.getConfig(app.appid)).toBeUndefined();
      expect(await f.store.push.deleteConfig(app.appid)).toBe(false);
    });

    test('enqueue writes only while push is enabled; every call event drops in the same way', async () => {
      const { app, user } = await appAndUser(f.store);
      const call = {
        appid: app.appid,
        userId: user.id,
        event: CALL_EVENTS[0],
        data: { roomId: 'r1' },
        at: T0,
      };
      expect(await f.store.push.enqueue(call)).toBeUndefined();
      await f.store.push.setConfig(pushConfigRecord(app.appid));
      const written: PushDeliveryRecord[] = [];
      for (const [i, event] of CALL_EVENTS.entries()) {
        const row = await f.store.push.enqueue({ ...call, event, data: { roomId: 'r1', n: i }, at: T0 + i });
        expect(row).toEqual({
          id: expect.any(Number),
          appid: app.appid,
          userId: user.id,
          openid: null,
          event,
          data: { roomId: 'r1', n: i },
          createdAt: T0 + i,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: T0 + i,
          lastStatus: null,
          lastError: null,
          deliveredAt: null,
        });
        written.push(row!);
      }
      expect(written.map((r) => r.id)).toEqual([...written.map((r) => r.id)].sort((a, b) => a - b));
      expect((await outbox(f.store, app.appid)).reverse()).toEqual(written);
    });

    test('consent: a popup pushes one event of its popup templates; silent answers push none', async () => {
      const { app, user } = await appAndUser(f.store);
      await f.store.push.setConfig(pushConfigRecord(app.appid));
      await f.store.consent.recordDecisions(
        app.appid,
        user.id,
        [
          { templateId: 'A', templateType: 2, status: 'accept', source: 'popup' },
          { templateId: 'B', templateType: 3, status: 'reject', source: 'popup' },
          { templateId: 'C', templateType: 2, status: 'accept', source: 'silent' },
        ],
        T0,
      );
      await f.store.consent.recordDecisions(
        app.appid,
        user.id,
        [{ templateId: 'C', templateType: 2, status: 'accept', source: 'silent' }],
        T0 + 1,
      );
      expect(await events(f.store, app.appid)).toEqual([
        {
          event: 'subscribe_msg_popup_event',
          data: [
            { templateId: 'A', status: 'accept' },
            { templateId: 'B', status: 'reject' },
          ],
        },
      ]);
      const [row] = await outbox(f.store, app.appid);
      expect(row).toMatchObject({ userId: user.id, openid: null, createdAt: T0 });
    });

    test('consent: rejections from settings, a card and the main switch push change events', async () => {
      const { app, user } = await appAndUser(f.store);
      await f.store.consent.recordDecisions(
        app.appid,
        user.id,
        ['A', 'B'].map((templateId) => ({
          templateId,
          templateType: 2 as const,
          status: 'accept' as const,
          source: 'popup' as const,
        })),
        T0,
      );
      await f.store.push.setConfig(pushConfigRecord(app.appid));
      await f.store.consent.setTemplate(app.appid, user.id, 'A', 2, 'accept', 'settings', T0 + 1);
      await f.store.consent.setTemplate(app.appid, user.id, 'A', 2, 'reject', 'settings', T0 + 2);
      await f.store.consent.setTemplate(app.appid, user.id, 'B', 2, 'reject', 'card', T0 + 3);
      await f.store.consent.setMainSwitch(app.appid, user.id, false, T0 + 4);
      // Already off: nothing changes, nothing is pushed; switching on pushes nothing either.
      await f.store.consent.setMainSwitch(app.appid, user.id, false, T0 + 5);
      await f.store.consent.setMainSwitch(app.appid, user.id, true, T0 + 6);
      expect(await events(f.store, app.appid)).toEqual([
        { event: 'subscribe_msg_change_event', data: [{ templateId: 'A' }] },
        { event: 'subscribe_msg_change_event', data: [{ templateId: 'B' }] },
        { event: 'subscribe_msg_change_event', data: [{ templateId: 'A' }, { templateId: 'B' }] },
      ]);
    });

    test('consent that records nothing (main switch off) and apps without push write no row', async () => {
      const { app, user } = await appAndUser(f.store);
      const other = await appAndUser(f.store);
      await f.store.push.setConfig(pushConfigRecord(app.appid));
      await f.store.consent.setMainSwitch(app.appid, user.id, false, T0);
      const popup = [
        { templateId: 'A', templateType: 2 as const, status: 'accept' as const, source: 'popup' as const },
      ];
      expect(await f.store.consent.recordDecisions(app.appid, user.id, popup, T0 + 1)).toEqual([]);
      expect(await outbox(f.store, app.appid)).toEqual([]);
      // Push off for the other app: its changes are recorded, its outbox stays empty.
      await f.store.consent.recordDecisions(other.app.appid, other.user.id, popup, T0);
      await f.store.consent.setTemplate(other.app.appid, other.user.id, 'A', 2, 'reject', 'card', T0);
      await f.store.consent.setMainSwitch(other.app.appid, other.user.id, false, T0);
      expect(await outbox(f.store, other.app.appid)).toEqual([]);
    });

    test('a delivered send writes its sent event; refusals and duplicates write none', async () => {
      const { app, user } = await withGrants(f.store, 3);
      await f.store.push.setConfig(pushConfigRecord(app.appid));
      const first = message(app.appid, user.id, 1);
      expect(await f.store.messages.deliver(first, DAY, NO_CAP)).toBe('delivered');
      const results = await Promise.all([
        f.store.messages.deliver(message(app.appid, user.id, 2), DAY, NO_CAP),
        f.store.messages.deliver({ ...first, title: 'again' }, DAY, NO_CAP),
        f.store.messages.deliver(message(app.appid, 'no-grant-user', 3), DAY, NO_CAP),
        f.store.messages.deliver(message(app.appid, user.id, 4), DAY, 2),
      ]);
      expect(results).toEqual(['delivered', 'duplicate-msgid', 'no-grant', 'daily-cap']);
      const rows = (await outbox(f.store, app.appid)).reverse();
      expect(rows.map((r) => ({ event: r.event, data: r.data, openid: r.openid, at: r.createdAt }))).toEqual([
        {
          event: 'subscribe_msg_sent_event',
          // The msgid exceeds 2^53: kept as decimal text, exact.
          data: [{ templateId: first.templateId, msgid: (2n ** 60n + 1n).toString() }],
          openid: first.openid,
          at: first.createdAt,
        },
        {
          event: 'subscribe_msg_sent_event',
          data: [{ templateId: first.templateId, msgid: '1152921504606846978' }],
          openid: first.openid,
          at: first.createdAt + 1,
        },
      ]);
    });

    test('claim leases only the oldest due row of each user, and never one another owner holds', async () => {
      const { app, user } = await appAndUser(f.store);
      const bob = userRecord();
      await f.store.accounts.createUser(bob);
      await f.store.push.setConfig(pushConfigRecord(app.appid));
      const put = (userId: string, n: number) =>
        f.store.push.enqueue({
          appid: app.appid,
          userId,
          event: 'call_ended_event',
          data: { n },
          at: T0 + n,
        });
      const a1 = (await put(user.id, 1))!;
      const a2 = (await put(user.id, 2))!;
      const b1 = (await put(bob.id, 3))!;
      await put(user.id, 100); // not due yet at T0 + 10

      const now = T0 + 10;
      const claimed = await f.store.push.claim('one', now, LEASE, 10);
      expect(claimed.map((r) => r.id)).toEqual([a1.id, b1.id]);
      expect(await f.store.push.claim('two', now, LEASE, 10)).toEqual([]);

      // a1 answered badly: pending again until T0 + 1000, and a2 still waits behind it.
      const retry = { at: now, delivered: false, httpStatus: 500, error: 'HTTP 500', retryAt: T0 + 1000 };
      expect(await f.store.push.recordAttempt(a1.id, 'two', retry)).toBe(false);
      expect(await f.store.push.recordAttempt(a1.id, 'one', retry)).toBe(true);
      expect(await f.store.push.recordAttempt(a1.id, 'one', retry)).toBe(false);
      expect(await f.store.push.claim('two', now + 1, LEASE, 10)).toEqual([]);
      const again = await f.store.push.claim('two', T0 + 1000, LEASE, 10);
      expect(again.map((r) => [r.id, r.attempts, r.lastStatus, r.lastError])).toEqual([
        [a1.id, 1, 500, 'HTTP 500'],
      ]);
      // Given up: the user's next row is free to go.
      const giveUp = { at: T0 + 1000, delivered: false, httpStatus: null, error: 'timeout', retryAt: null };
      expect(await f.store.push.recordAttempt(a1.id, 'two', giveUp)).toBe(true);
      expect((await f.store.push.claim('two', T0 + 1001, LEASE, 10)).map((r) => r.id)).toEqual([a2.id]);

      // b1's lease (owner one) ran out: another dispatcher may take it, and the first can no longer record.
      const later = now + LEASE;
      expect((await f.store.push.claim('three', later, LEASE, 10)).map((r) => r.id)).toEqual([b1.id]);
      const ok = { at: later, delivered: true, httpStatus: 200, error: null, retryAt: null };
      expect(await f.store.push.recordAttempt(b1.id, 'one', ok)).toBe(false);
      expect(await f.store.push.recordAttempt(b1.id, 'three', ok)).toBe(true);

      const log = await f.store.push.deliveries(app.appid, { limit: 10 });
      expect(log.map((r) => [r.id, r.status, r.attempts, r.nextAttemptAt, r.deliveredAt])).toEqual([
        [log[0]!.id, 'pending', 0, T0 + 100, null],
        [b1.id, 'delivered', 1, null, later],
        [a2.id, 'pending', 0, T0 + 2, null],
        [a1.id, 'failed', 2, null, null],
      ]);
      expect(log[3]).toMatchObject({ lastStatus: null, lastError: 'timeout' });
      expect(await f.store.push.claim('x', T0 + 2000, LEASE, 0)).toEqual([]);
    });

    test('the delivery log pages newest first and filters by status', async () => {
      const { app, user } = await appAndUser(f.store);
      await f.store.push.setConfig(pushConfigRecord(app.appid));
      const ids: number[] = [];
      for (let n = 0; n < 5; n++) {
        const row = await f.store.push.enqueue({
          appid: app.appid,
          userId: `${user.id}-${n}`,
          event: 'call_invited_event',
          data: { n },
          at: T0,
        });
        ids.push(row!.id);
      }
      const [head] = await f.store.push.claim('one', T0, LEASE, 1);
      await f.store.push.recordAttempt(head!.id, 'one', {
        at: T0,
        delivered: true,
        httpStatus: 200,
        error: null,
        retryAt: null,
      });
      const page = await f.store.push.deliveries(app.appid, { limit: 2 });
      expect(page.map((r) => r.id)).toEqual([ids[4], ids[3]]);
      const next = await f.store.push.deliveries(app.appid, { limit: 10, before: ids[3] });
      expect(next.map((r) => r.id)).toEqual([ids[2], ids[1], ids[0]]);
      expect(
        (await f.store.push.deliveries(app.appid, { limit: 10, status: 'delivered' })).map((r) => r.id),
      ).toEqual([head!.id]);
      expect(await f.store.push.deliveries(app.appid, { limit: 10, status: 'failed' })).toEqual([]);
      expect(await f.store.push.deliveries('wx-other', { limit: 10 })).toEqual([]);
    });

    test('disabling push fails the pending rows and writes no more', async () => {
      const { app, user } = await withGrants(f.store, 2);
      await f.store.push.setConfig(pushConfigRecord(app.appid));
      await f.store.messages.deliver(message(app.appid, user.id, 1), DAY, NO_CAP);
      const [leased] = await f.store.push.claim('one', T0 + 5, LEASE, 1);
      expect(await f.store.push.deleteConfig(app.appid)).toBe(true);
      await f.store.messages.deliver(message(app.appid, user.id, 2), DAY, NO_CAP);
      const log = await outbox(f.store, app.appid);
      expect(log.map((r) => [r.status, r.lastError, r.nextAttemptAt])).toEqual([
        ['failed', 'push disabled', null],
      ]);
      const ok = { at: T0 + 6, delivered: true, httpStatus: 200, error: null, retryAt: null };
      expect(await f.store.push.recordAttempt(leased!.id, 'one', ok)).toBe(false);
      expect(await f.store.push.claim('one', T0 + LEASE * 2, LEASE, 10)).toEqual([]);
    });

    describe('durability', () => {
      if (!reopen) {
        test.skip('push configurations and pending rows survive reopen (not a durable adapter)', () => {});
        return;
      }
      test('push configurations and pending rows survive reopen', async () => {
        const first = await open();
        const { app, user } = await appAndUser(first);
        const config = pushConfigRecord(app.appid);
        await first.push.setConfig(config);
        await first.consent.recordDecisions(
          app.appid,
          user.id,
          [{ templateId: 'A', templateType: 2, status: 'accept', source: 'popup' }],
          T0,
        );
        const [leased] = await first.push.claim('gone', T0, LEASE, 1);
        await first.close();
        const second = await reopen(first);
        try {
          expect(await second.push.getConfig(app.appid)).toEqual(config);
          // The dead owner's lease still holds until it runs out; then the row goes again.
          expect(await second.push.claim('next', T0 + 1, LEASE, 10)).toEqual([]);
          const [row] = await second.push.claim('next', T0 + LEASE, LEASE, 10);
          expect(row).toMatchObject({
            id: leased!.id,
            event: 'subscribe_msg_popup_event',
            status: 'pending',
          });
          // The in-memory view of enabled apps is rebuilt on open: writers still write.
          await second.consent.setTemplate(app.appid, user.id, 'A', 2, 'reject', 'card', T0 + 2);
          expect((await second.push.deliveries(app.appid, { limit: 10 })).map((r) => r.event)).toEqual([
            'subscribe_msg_change_event',
            'subscribe_msg_popup_event',
          ]);
        } finally {
          await second.close();
        }
      });
    });
  });
}
