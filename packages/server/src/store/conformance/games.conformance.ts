import type { SysMsgType } from '@beckon/protocol';
import { describe, expect, test } from 'vitest';
import type { GameUpdateRecord, MessageRecord, Store, SystemCardDelivery } from '../port.js';
import {
  appAndUser,
  appRecord,
  appUserRecord,
  type StoreFixture,
  T0,
  tally,
  userRecord,
} from './fixture.conformance.js';
import { message, withGrants } from './messages.conformance.js';

const RANK: SysMsgType = 'SYS_MSG_TYPE_RANK';
const WHATS_NEW: SysMsgType = 'SYS_MSG_TYPE_WHATS_NEW';
const INTERACTIVE: SysMsgType = 'SYS_MSG_TYPE_INTERACTIVE';
const DAY = '2026-01-01';
const NEXT_DAY = '2026-01-02';

/** A system card as the platform makes one; msgids above 2^53. */
function card(appid: string, userId: string, n: number, msgType: SysMsgType = RANK): MessageRecord {
  return {
    msgid: 2n ** 61n + BigInt(n),
    appid,
    userId,
    openid: 'o-games',
    templateId: msgType,
    appName: 'Game',
    title: 'Friend overtook you',
    rows: [
      { label: 'Friend', value: 'Bob' },
      { label: 'Their score', value: String(n) },
      { label: 'Your score', value: '1' },
    ],
    page: null,
    lang: 'en_US',
    miniprogramState: 'formal',
    createdAt: T0 + n,
    readAt: null,
  };
}

const once = (m: MessageRecord, day = DAY): SystemCardDelivery => ({ card: m, oncePerDay: day });

/** A game and a player who accepted `types`. */
async function subscribed(store: Store, types: SysMsgType[] = [RANK]) {
  const { app, user } = await appAndUser(store);
  const decisions = types.map((msgType) => ({ msgType, status: 'accept' as const }));
  expect(await store.games.recordSystemDecisions(app.appid, user.id, decisions, T0)).toMatchObject({
    ok: true,
  });
  return { app, user };
}

function update(appid: string, version: string, publishedAt = T0): GameUpdateRecord {
  return {
    updateId: `upd_${appid}_${version}`,
    appid,
    version,
    phrases: ['新增关卡'],
    publishedAt,
    reminded: 0,
  };
}

/** GameStore: system subscriptions and cards, game updates, cloud storage, interactive values. */
export function gamesConformance(f: StoreFixture): void {
  describe('games: system subscriptions', () => {
    test('decisions: accept is kept, a dialog reject is not; a later answer replaces the earlier', async () => {
      const { app, user } = await appAndUser(f.store);
      expect(await f.store.games.systemSubscriptions(app.appid, user.id)).toEqual([]);
      const written = await f.store.games.recordSystemDecisions(
        app.appid,
        user.id,
        [
          { msgType: WHATS_NEW, status: 'reject' },
          { msgType: RANK, status: 'accept' },
        ],
        T0 + 1,
      );
      const rank = {
        appid: app.appid,
        userId: user.id,
        msgType: RANK,
        status: 'accept',
        kept: true,
        updatedAt: T0 + 1,
      };
      const whatsNew = {
        appid: app.appid,
        userId: user.id,
        msgType: WHATS_NEW,
        status: 'reject',
        kept: false,
        updatedAt: T0 + 1,
      };
      // The answers in the decisions' order; the subscriptions by type.
      expect(written).toEqual({ ok: true, answers: [whatsNew, rank] });
      expect(await f.store.games.systemSubscriptions(app.appid, user.id)).toEqual([rank, whatsNew]);
      await f.store.games.recordSystemDecisions(
        app.appid,
        user.id,
        [{ msgType: WHATS_NEW, status: 'accept' }],
        T0 + 2,
      );
      expect((await f.store.games.systemSubscriptions(app.appid, user.id))[1]).toMatchObject({
        status: 'accept',
        kept: true,
      });
    });

    test('a dialog leaves a kept answer as it is (an accept, a switch-off) and answers with it', async () => {
      const { app, user } = await appAndUser(f.store);
      await f.store.games.recordSystemDecisions(
        app.appid,
        user.id,
        [{ msgType: RANK, status: 'accept' }],
        T0,
      );
      const off = await f.store.games.setSystemType(app.appid, user.id, WHATS_NEW, 'reject', T0 + 1);
      const written = await f.store.games.recordSystemDecisions(
        app.appid,
        user.id,
        [
          { msgType: RANK, status: 'reject' },
          { msgType: WHATS_NEW, status: 'accept' },
          { msgType: INTERACTIVE, status: 'reject' },
        ],
        T0 + 2,
      );
      const accepted = {
        appid: app.appid,
        userId: user.id,
        msgType: RANK,
        status: 'accept',
        kept: true,
        updatedAt: T0,
      };
      const asked = {
        appid: app.appid,
        userId: user.id,
        msgType: INTERACTIVE,
        status: 'reject',
        kept: false,
        updatedAt: T0 + 2,
      };
      expect(written).toEqual({ ok: true, answers: [accepted, off, asked] });
      expect(await f.store.games.systemSubscriptions(app.appid, user.id)).toEqual([asked, accepted, off]);
    });

    test('with the main switch off a dialog records nothing ({ok: false}); the settings page still switches types', async () => {
      const { app, user } = await appAndUser(f.store);
      await f.store.consent.setMainSwitch(app.appid, user.id, false, T0);
      expect(
        await f.store.games.recordSystemDecisions(
          app.appid,
          user.id,
          [{ msgType: RANK, status: 'accept' }],
          T0,
        ),
      ).toEqual({ ok: false });
      expect(await f.store.games.systemSubscriptions(app.appid, user.id)).toEqual([]);
      const set = await f.store.games.setSystemType(app.appid, user.id, RANK, 'reject', T0 + 5);
      expect(set).toEqual({
        appid: app.appid,
        userId: user.id,
        msgType: RANK,
        status: 'reject',
        kept: true,
        updatedAt: T0 + 5,
      });
      expect(await f.store.games.systemSubscriptions(app.appid, user.id)).toEqual([set]);
    });

    test('subscribers: the users who accepted the type in the game, by user id, paged', async () => {
      const app = appRecord({ type: 'minigame' });
      await f.store.apps.create(app);
      const ids = ['u_c', 'u_a', 'u_e', 'u_b', 'u_d'];
      for (const id of ids) await f.store.accounts.createUser(userRecord({ id }));
      for (const id of ['u_c', 'u_a', 'u_e', 'u_d'])
        await f.store.games.recordSystemDecisions(
          app.appid,
          id,
          [{ msgType: WHATS_NEW, status: 'accept' }],
          T0,
        );
      await f.store.games.recordSystemDecisions(
        app.appid,
        'u_b',
        [{ msgType: WHATS_NEW, status: 'reject' }],
        T0,
      );
      await f.store.games.recordSystemDecisions(app.appid, 'u_b', [{ msgType: RANK, status: 'accept' }], T0);
      await f.store.games.setSystemType(app.appid, 'u_d', WHATS_NEW, 'reject', T0);
      expect(await f.store.games.systemSubscribers(app.appid, WHATS_NEW, '', 2)).toEqual(['u_a', 'u_c']);
      expect(await f.store.games.systemSubscribers(app.appid, WHATS_NEW, 'u_c', 2)).toEqual(['u_e']);
      expect(await f.store.games.systemSubscribers(app.appid, RANK, '', 10)).toEqual(['u_b']);
      expect(await f.store.games.systemSubscribers('wx-other', WHATS_NEW, '', 10)).toEqual([]);
    });
  });

  describe('games: system cards', () => {
    test('a subscribed player’s card joins their inbox exactly, beside sent messages, in msgid order', async () => {
      const { app, user } = await withGrants(f.store, 2);
      await f.store.games.recordSystemDecisions(
        app.appid,
        user.id,
        [{ msgType: RANK, status: 'accept' }],
        T0,
      );
      const sent = message(app.appid, user.id, 1, { msgid: 2n ** 61n - 5n });
      expect(await f.store.messages.deliver(sent, DAY, 1000)).toBe('delivered');
      const c = card(app.appid, user.id, 1);
      expect(await f.store.games.deliverSystemCards([{ card: c }])).toEqual(['delivered']);
      const later = message(app.appid, user.id, 2, { msgid: 2n ** 61n + 5n });
      expect(await f.store.messages.deliver(later, DAY, 1000)).toBe('delivered');
      expect(await f.store.messages.get(user.id, c.msgid)).toEqual(c);
      expect((await f.store.messages.inbox(user.id, 10)).map((m) => m.msgid)).toEqual([
        later.msgid,
        c.msgid,
        sent.msgid,
      ]);
      expect(await f.store.messages.unreadCount(user.id)).toBe(3);
    });

    test('not subscribed: never accepted, rejected, switched off, another type, main switch off — nothing written', async () => {
      const { app, user } = await subscribed(f.store, [WHATS_NEW]);
      expect(await f.store.games.deliverSystemCards([once(card(app.appid, user.id, 1, RANK))])).toEqual([
        'not-subscribed',
      ]);
      await f.store.consent.setMainSwitch(app.appid, user.id, false, T0);
      expect(await f.store.games.deliverSystemCards([once(card(app.appid, user.id, 2, WHATS_NEW))])).toEqual([
        'not-subscribed',
      ]);
      await f.store.consent.setMainSwitch(app.appid, user.id, true, T0);
      await f.store.games.setSystemType(app.appid, user.id, WHATS_NEW, 'reject', T0);
      expect(await f.store.games.deliverSystemCards([once(card(app.appid, user.id, 3, WHATS_NEW))])).toEqual([
        'not-subscribed',
      ]);
      expect(await f.store.messages.inbox(user.id, 10)).toEqual([]);
      // None of the refusals took the day's slot.
      await f.store.games.setSystemType(app.appid, user.id, WHATS_NEW, 'accept', T0);
      expect(await f.store.games.deliverSystemCards([once(card(app.appid, user.id, 4, WHATS_NEW))])).toEqual([
        'delivered',
      ]);
    });

    test('once per day: per game, user and type; the next day again; without the key no limit', async () => {
      const { app, user } = await subscribed(f.store, [RANK, WHATS_NEW]);
      const other = appRecord({ type: 'minigame' });
      await f.store.apps.create(other);
      await f.store.games.recordSystemDecisions(
        other.appid,
        user.id,
        [{ msgType: RANK, status: 'accept' }],
        T0,
      );
      const results = await f.store.games.deliverSystemCards([
        once(card(app.appid, user.id, 1)),
        once(card(app.appid, user.id, 2)),
        once(card(app.appid, user.id, 3, WHATS_NEW)),
        once(card(other.appid, user.id, 4)),
        { card: card(app.appid, user.id, 5) },
        once(card(app.appid, user.id, 6), NEXT_DAY),
        once(card(app.appid, user.id, 7), NEXT_DAY),
      ]);
      expect(results).toEqual([
        'delivered',
        'already-reminded',
        'delivered',
        'delivered',
        'delivered',
        'delivered',
        'already-reminded',
      ]);
      // An earlier day (a node whose clock lags) does not take the slot back.
      expect(await f.store.games.deliverSystemCards([once(card(app.appid, user.id, 8), DAY)])).toEqual([
        'already-reminded',
      ]);
      expect(await f.store.messages.unreadCount(user.id)).toBe(5);
    });

    test('a duplicate msgid writes nothing and leaves the day’s slot free for the retry', async () => {
      const { app, user } = await subscribed(f.store);
      const first = card(app.appid, user.id, 1);
      expect(await f.store.games.deliverSystemCards([{ card: first }])).toEqual(['delivered']);
      const clash = { ...card(app.appid, user.id, 2), msgid: first.msgid };
      expect(await f.store.games.deliverSystemCards([once(clash)])).toEqual(['duplicate-msgid']);
      expect(await f.store.messages.get(user.id, first.msgid)).toEqual(first);
      expect(await f.store.games.deliverSystemCards([once(card(app.appid, user.id, 3))])).toEqual([
        'delivered',
      ]);
      expect(await f.store.messages.unreadCount(user.id)).toBe(2);
    });

    test('50 concurrent once-a-day deliveries to one player: exactly one delivered', async () => {
      const { app, user } = await subscribed(f.store);
      const results = (
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            f.store.games.deliverSystemCards([once(card(app.appid, user.id, i))]),
          ),
        )
      ).flat();
      expect(tally(results)).toEqual(
        new Map([
          ['delivered', 1],
          ['already-reminded', 49],
        ]),
      );
      expect(await f.store.messages.unreadCount(user.id)).toBe(1);
    });

    test('an update counts the cards delivered for it, in their transaction', async () => {
      const { app, user } = await subscribed(f.store, [WHATS_NEW]);
      const u = update(app.appid, '1.0.0');
      expect(await f.store.games.addUpdate(u)).toBe(true);
      const stranger = userRecord();
      await f.store.accounts.createUser(stranger);
      const results = await f.store.games.deliverSystemCards(
        [once(card(app.appid, user.id, 1, WHATS_NEW)), once(card(app.appid, stranger.id, 2, WHATS_NEW))],
        u.updateId,
      );
      expect(results).toEqual(['delivered', 'not-subscribed']);
      expect(await f.store.games.getUpdate(u.updateId)).toEqual({ ...u, reminded: 1 });
    });
  });

  describe('games: updates', () => {
    test('a version once per game; newest first; the game’s own only', async () => {
      const { app } = await appAndUser(f.store);
      const other = appRecord();
      await f.store.apps.create(other);
      const a = update(app.appid, '1.0', T0);
      const b = { ...update(app.appid, '1.1', T0 + 10), phrases: ['修复bug' as const, '优化性能' as const] };
      const c = update(app.appid, '1.2', T0 + 10);
      for (const u of [a, b, c, update(other.appid, '1.0')])
        expect(await f.store.games.addUpdate(u)).toBe(true);
      expect(await f.store.games.addUpdate({ ...update(app.appid, '1.0'), updateId: 'upd_again' })).toBe(
        false,
      );
      expect(await f.store.games.getUpdate('upd_again')).toBeUndefined();
      // Same instant: the later published first.
      expect(await f.store.games.updates(app.appid, 10)).toEqual([c, b, a]);
      expect(await f.store.games.updates(app.appid, 1)).toEqual([c]);
    });
  });

  describe('games: cloud storage and interactive values', () => {
    test('set returns each key’s previous value; keys are per game and player; reads only what exists', async () => {
      const { app, user } = await appAndUser(f.store);
      const other = appRecord();
      await f.store.apps.create(other);
      expect(
        await f.store.games.setCloudStorage(app.appid, user.id, [{ key: 'score', value: '1' }], T0, 128),
      ).toEqual({
        ok: true,
        previous: new Map([['score', undefined]]),
      });
      const second = await f.store.games.setCloudStorage(
        app.appid,
        user.id,
        [
          { key: 'score', value: '2' },
          { key: 'level', value: 'a' },
        ],
        T0,
        128,
      );
      expect(second).toEqual({
        ok: true,
        previous: new Map([
          ['score', '1'],
          ['level', undefined],
        ]),
      });
      await f.store.games.setCloudStorage(other.appid, user.id, [{ key: 'score', value: '99' }], T0, 128);
      expect(
        await f.store.games.cloudStorage(app.appid, [user.id, 'nobody'], ['score', 'level', 'none']),
      ).toEqual([
        { userId: user.id, key: 'level', value: 'a' },
        { userId: user.id, key: 'score', value: '2' },
      ]);
      expect(await f.store.games.cloudStorage(app.appid, [], ['score'])).toEqual([]);
    });

    test('over the key limit nothing is written; replacing held keys is within it', async () => {
      const { app, user } = await appAndUser(f.store);
      const kv = (keys: string[]) => keys.map((key) => ({ key, value: key }));
      expect((await f.store.games.setCloudStorage(app.appid, user.id, kv(['a', 'b']), T0, 3)).ok).toBe(true);
      expect(await f.store.games.setCloudStorage(app.appid, user.id, kv(['a', 'c', 'd']), T0, 3)).toEqual({
        ok: false,
      });
      expect(await f.store.games.cloudStorage(app.appid, [user.id], ['a', 'b', 'c', 'd'])).toHaveLength(2);
      expect(
        (await f.store.games.setCloudStorage(app.appid, user.id, kv(['a', 'b', 'c', 'c']), T0, 3)).ok,
      ).toBe(true);
    });

    test('keys named like Object.prototype members count and read as any other key, at the limit too', async () => {
      const { app, user } = await appAndUser(f.store);
      const kv = (keys: string[]) => keys.map((key) => ({ key, value: `${key}-v` }));
      const held = Array.from({ length: 127 }, (_, i) => `k${i}`);
      expect((await f.store.games.setCloudStorage(app.appid, user.id, kv(held), T0, 128)).ok).toBe(true);
      // The 128th key: `constructor` is new, and its previous value is none.
      expect(await f.store.games.setCloudStorage(app.appid, user.id, kv(['constructor']), T0, 128)).toEqual({
        ok: true,
        previous: new Map([['constructor', undefined]]),
      });
      // At the limit, each of these is a 129th key: refused, nothing written.
      for (const key of ['toString', '__proto__', 'hasOwnProperty', 'valueOf'])
        expect(await f.store.games.setCloudStorage(app.appid, user.id, kv([key]), T0, 128), key).toEqual({
          ok: false,
        });
      const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
      expect(await f.store.games.cloudStorage(app.appid, [user.id], names)).toEqual([
        { userId: user.id, key: 'constructor', value: 'constructor-v' },
      ]);
      // Held, `constructor` is replaced within the limit, its previous value its own.
      expect(
        await f.store.games.setCloudStorage(
          app.appid,
          user.id,
          [{ key: 'constructor', value: '2' }],
          T0,
          128,
        ),
      ).toEqual({ ok: true, previous: new Map([['constructor', 'constructor-v']]) });
    });

    test('players: users with a login in the game or cloud storage in it', async () => {
      const { app, user } = await appAndUser(f.store);
      const [stored, other, none] = [userRecord(), userRecord(), userRecord()];
      for (const u of [stored, other, none]) await f.store.accounts.createUser(u);
      await f.store.accounts.saveAppUser(appUserRecord(app.appid, user.id));
      await f.store.games.setCloudStorage(app.appid, stored.id, [{ key: 'k', value: 'v' }], T0, 128);
      const elsewhere = appRecord();
      await f.store.apps.create(elsewhere);
      await f.store.accounts.saveAppUser(appUserRecord(elsewhere.appid, other.id));
      const players = await f.store.games.players(app.appid, [user.id, stored.id, other.id, none.id]);
      expect(players.sort()).toEqual([user.id, stored.id].sort());
      expect(await f.store.games.players(app.appid, [])).toEqual([]);
    });

    test('an interaction with a card: the value and the card together, or nothing when the msgid is taken', async () => {
      const { app, user } = await subscribed(f.store, [INTERACTIVE]);
      const first = card(app.appid, user.id, 1, INTERACTIVE);
      expect(await f.store.games.addInteractive(app.appid, user.id, '1', 1, T0, { card: first })).toEqual({
        ok: true,
        value: 1,
        card: 'delivered',
      });
      expect(await f.store.messages.get(user.id, first.msgid)).toEqual(first);
      // The msgid is taken: neither the value nor the card is written.
      const taken = { ...card(app.appid, user.id, 1, INTERACTIVE), rows: [] };
      expect(await f.store.games.addInteractive(app.appid, user.id, '1', 1, T0, { card: taken })).toEqual({
        ok: false,
        card: 'duplicate-msgid',
      });
      expect(await f.store.games.interactiveValues(app.appid, user.id)).toEqual({ '1': 1 });
      expect(await f.store.messages.inbox(user.id, 10)).toEqual([first]);
      // Not subscribed to the card's type: the value alone.
      const rank = card(app.appid, user.id, 2, RANK);
      expect(await f.store.games.addInteractive(app.appid, user.id, '1', 1, T0, { card: rank })).toEqual({
        ok: true,
        value: 2,
        card: 'not-subscribed',
      });
      expect(await f.store.messages.inbox(user.id, 10)).toEqual([first]);
    });

    test('interactive values add up from 0 per game, player and key, capped at 2^31 - 1', async () => {
      const { app, user } = await appAndUser(f.store);
      const add = async (key: string, by: number) => {
        const write = await f.store.games.addInteractive(app.appid, user.id, key, by, T0);
        return write.ok ? write.value : undefined;
      };
      expect(await f.store.games.addInteractive(app.appid, user.id, '1', 1, T0)).toEqual({
        ok: true,
        value: 1,
      });
      expect(await add('1', 1)).toBe(2);
      expect(await add('2', 1)).toBe(1);
      const concurrent = await Promise.all(Array.from({ length: 20 }, () => add('3', 1)));
      expect(concurrent.sort((a, b) => a! - b!)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await add('4', 2 ** 31 - 2)).toBe(2 ** 31 - 2);
      expect(await add('4', 5)).toBe(2 ** 31 - 1);
      expect(await f.store.games.interactiveValues(app.appid, user.id)).toEqual({
        '1': 2,
        '2': 1,
        '3': 20,
        '4': 2 ** 31 - 1,
      });
      expect(await f.store.games.interactiveValues(app.appid, 'nobody')).toEqual({});
    });
  });
}
