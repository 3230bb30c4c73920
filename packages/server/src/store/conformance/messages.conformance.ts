import { describe, expect, test } from 'vitest';
import type { MessageRecord, Store } from '../port.js';
import { appAndUser, type StoreFixture, T0, tally } from './fixture.conformance.js';

const TEMPLATE = 'tmpl-messages';
export const DAY = '2026-01-01';
const NO_CAP = 1_000_000_000;

export function message(
  appid: string,
  userId: string,
  n: number,
  over: Partial<MessageRecord> = {},
): MessageRecord {
  return {
    msgid: 2n ** 60n + BigInt(n),
    appid,
    userId,
    openid: 'o-messages',
    templateId: TEMPLATE,
    appName: 'App',
    title: '订单发货提醒',
    rows: [{ label: '商品名称', value: `第${n}件` }],
    page: n % 2 ? 'pages/order/detail?id=1' : null,
    lang: 'zh_CN',
    miniprogramState: 'formal',
    createdAt: T0 + n,
    readAt: null,
    ...over,
  };
}

export async function withGrants(store: Store, count: number) {
  const { app, user } = await appAndUser(store);
  const decisions = Array.from({ length: count }, () => ({
    templateId: TEMPLATE,
    templateType: 2 as const,
    status: 'accept' as const,
    source: 'popup' as const,
  }));
  if (count) await store.consent.recordDecisions(app.appid, user.id, decisions, T0);
  const remaining = async () =>
    (await store.consent.grants(app.appid, user.id, [TEMPLATE]))[0]?.remaining ?? 0;
  return { app, user, remaining };
}

/** The MessageStore contract: the send's one transaction, and the inbox. */
export function messagesConformance(f: StoreFixture): void {
  describe('messages', () => {
    test('deliver spends one grant and stores the message exactly, 64-bit msgid included', async () => {
      const { app, user, remaining } = await withGrants(f.store, 2);
      const m = message(app.appid, user.id, 1);
      expect(await f.store.messages.deliver(m, DAY, NO_CAP)).toBe('delivered');
      expect(await remaining()).toBe(1);
      expect(await f.store.messages.get(user.id, m.msgid)).toEqual(m);
      expect(await f.store.messages.get('someone-else', m.msgid)).toBeUndefined();
    });

    test('a duplicate msgid spends nothing and leaves the first message, also inside one batch', async () => {
      const { app, user, remaining } = await withGrants(f.store, 5);
      const first = message(app.appid, user.id, 7);
      expect(await f.store.messages.deliver(first, DAY, NO_CAP)).toBe('delivered');
      const again = { ...first, title: 'other' };
      expect(await f.store.messages.deliver(again, DAY, NO_CAP)).toBe('duplicate-msgid');
      // Concurrent calls share a transaction: the duplicate in the middle must not undo its neighbours.
      const results = await Promise.all([
        f.store.messages.deliver(message(app.appid, user.id, 8), DAY, NO_CAP),
        f.store.messages.deliver(again, DAY, NO_CAP),
        f.store.messages.deliver(message(app.appid, user.id, 9), DAY, NO_CAP),
      ]);
      expect(results).toEqual(['delivered', 'duplicate-msgid', 'delivered']);
      expect(await remaining()).toBe(2);
      expect((await f.store.messages.get(user.id, first.msgid))?.title).toBe('订单发货提醒');
      expect(await f.store.messages.inbox(user.id, 10)).toHaveLength(3);
    });

    test('no grant: nothing written; the daily cap counts per app and day and spends nothing', async () => {
      const { app, user, remaining } = await withGrants(f.store, 3);
      expect(await f.store.messages.deliver(message(app.appid, 'no-grant-user', 1), DAY, NO_CAP)).toBe(
        'no-grant',
      );
      expect(await f.store.messages.deliver(message(app.appid, user.id, 1), DAY, 2)).toBe('delivered');
      expect(await f.store.messages.deliver(message(app.appid, user.id, 2), DAY, 2)).toBe('delivered');
      expect(await f.store.messages.deliver(message(app.appid, user.id, 3), DAY, 2)).toBe('daily-cap');
      expect(await remaining()).toBe(1);
      expect(await f.store.messages.deliver(message(app.appid, user.id, 3), '2026-01-02', 2)).toBe(
        'delivered',
      );
      expect(await remaining()).toBe(0);
    });

    test('300 concurrent deliveries against 30 grants: exactly 30 delivered', async () => {
      const { app, user, remaining } = await withGrants(f.store, 30);
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          f.store.messages.deliver(message(app.appid, user.id, i), DAY, NO_CAP),
        ),
      );
      expect(tally(results)).toEqual(
        new Map([
          ['delivered', 30],
          ['no-grant', 270],
        ]),
      );
      expect(await remaining()).toBe(0);
      expect(await f.store.messages.unreadCount(user.id)).toBe(30);
    });

    test('inbox: newest (largest msgid) first, paged with `before`; read marks and counts', async () => {
      const { app, user } = await withGrants(f.store, 5);
      for (const n of [3, 1, 5, 2, 4])
        await f.store.messages.deliver(message(app.appid, user.id, n), DAY, NO_CAP);
      const first = await f.store.messages.inbox(user.id, 2);
      expect(first.map((m) => m.msgid)).toEqual([2n ** 60n + 5n, 2n ** 60n + 4n]);
      const next = await f.store.messages.inbox(user.id, 10, first[1]!.msgid);
      expect(next?.map((m) => Number(m.msgid - 2n ** 60n))).toEqual([3, 2, 1]);
      expect(await f.store.messages.unreadCount(user.id)).toBe(5);
      expect(await f.store.messages.markRead(user.id, 2n ** 60n + 3n, T0 + 100)).toBe(true);
      expect(await f.store.messages.markRead(user.id, 2n ** 60n + 3n, T0 + 200)).toBe(true);
      expect((await f.store.messages.get(user.id, 2n ** 60n + 3n))?.readAt).toBe(T0 + 100);
      expect(await f.store.messages.markRead('someone-else', 2n ** 60n + 4n, T0)).toBe(false);
      expect(await f.store.messages.unreadCount(user.id)).toBe(4);
      expect(await f.store.messages.markAllRead(user.id, T0 + 300)).toBe(4);
      expect(await f.store.messages.unreadCount(user.id)).toBe(0);
    });

    test('inbox order holds for msgids that arrive late, between and below the others, and duplicates', async () => {
      const { app, user, remaining } = await withGrants(f.store, 10);
      const id = (n: number) => 2n ** 60n + BigInt(n);
      for (const n of [10, 20, 30, 25, 5, 15, 1])
        expect(await f.store.messages.deliver(message(app.appid, user.id, n), DAY, NO_CAP)).toBe('delivered');
      for (const n of [25, 1, 30])
        expect(await f.store.messages.deliver(message(app.appid, user.id, n), DAY, NO_CAP)).toBe(
          'duplicate-msgid',
        );
      expect(await remaining()).toBe(3);
      const all = await f.store.messages.inbox(user.id, 100);
      expect(all.map((m) => m.msgid)).toEqual([30, 25, 20, 15, 10, 5, 1].map(id));
      // Every card is whole, not only its id.
      expect(all[1]).toEqual(message(app.appid, user.id, 25));
      // Pages of 3 walk the same order without gaps or repeats.
      const paged: bigint[] = [];
      let before: bigint | undefined;
      for (;;) {
        const page = await f.store.messages.inbox(user.id, 3, before);
        if (!page || page.length === 0) break;
        paged.push(...page.map((m) => m.msgid));
        before = page.at(-1)!.msgid;
      }
      expect(paged).toEqual(all.map((m) => m.msgid));
      expect(await f.store.messages.unreadCount(user.id)).toBe(7);
    });

    test('a cursor that is not one of the user’s cards is refused (undefined), not walked to', async () => {
      const { app, user } = await withGrants(f.store, 3);
      const other = await withGrants(f.store, 1);
      for (const n of [10, 20, 30])
        await f.store.messages.deliver(message(app.appid, user.id, n), DAY, NO_CAP);
      await f.store.messages.deliver(message(other.app.appid, other.user.id, 25), DAY, NO_CAP);
      const after = (n: number) => f.store.messages.inbox(user.id, 10, 2n ** 60n + BigInt(n));
      expect((await after(20))?.map((m) => Number(m.msgid - 2n ** 60n))).toEqual([10]);
      expect(await after(10)).toEqual([]);
      expect(await after(31)).toBeUndefined();
      expect(await after(25)).toBeUndefined(); // the other user's card
      expect(await f.store.messages.inbox(user.id, 10, 2n ** 63n - 1n)).toBeUndefined();
      expect(await f.store.messages.inbox('nobody', 10)).toEqual([]);
      expect(await f.store.messages.unreadCount('nobody')).toBe(0);
    });

    test('mark all read counts only the unread cards, wherever they are, and later sends count again', async () => {
      const { app, user } = await withGrants(f.store, 6);
      const id = (n: number) => 2n ** 60n + BigInt(n);
      for (const n of [1, 2, 3, 4, 5])
        await f.store.messages.deliver(message(app.appid, user.id, n), DAY, NO_CAP);
      expect(await f.store.messages.markRead(user.id, id(5), T0 + 1)).toBe(true);
      expect(await f.store.messages.markRead(user.id, id(2), T0 + 1)).toBe(true);
      expect(await f.store.messages.unreadCount(user.id)).toBe(3);
      expect(await f.store.messages.markAllRead(user.id, T0 + 2)).toBe(3);
      const read = await f.store.messages.inbox(user.id, 10);
      expect(read.map((m) => m.readAt)).toEqual([T0 + 1, T0 + 2, T0 + 2, T0 + 1, T0 + 2]);
      expect(await f.store.messages.markAllRead(user.id, T0 + 3)).toBe(0);
      await f.store.messages.deliver(message(app.appid, user.id, 6), DAY, NO_CAP);
      expect(await f.store.messages.unreadCount(user.id)).toBe(1);
      expect(await f.store.messages.markAllRead('nobody', T0)).toBe(0);
    });
  });
}
