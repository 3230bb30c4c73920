import { Errors } from '@beckon/protocol';
import { beforeEach, describe, expect, test } from 'vitest';
import { openidFor } from '../accounts/openids.js';
import {
  acceptTypes,
  befriend,
  type Player,
  player,
  score,
  useGameWorld,
} from './test-support/game-world.js';

// wx.setUserCloudStorage and wx.getFriendCloudStorage through the client API, and rank overtaking
// (spec §1.5, §6.5): a friend passed by a reported score gets one "Friend overtook you" card a day per game.

const w = useGameWorld();
const RANK = 'SYS_MSG_TYPE_RANK';
const DAY = 86_400_000;

let carol: Player;
let dave: Player;
beforeEach(async () => {
  carol = await player(w.s, 'carol');
  dave = await player(w.s, 'dave');
  // alice's friends: bob and carol. dave is bob's friend only.
  await befriend(w.alice, w.bob);
  await befriend(w.alice, carol);
  await befriend(w.bob, dave);
});

const ok = { errMsg: 'setUserCloudStorage:ok' };
const set = async (p: Player, kv: Record<string, string>) => {
  const res = await p.c.setStorage(
    w.game.appid,
    Object.entries(kv).map(([key, value]) => ({ key, value })),
  );
  expect(res.json(), res.body).toEqual(ok);
};
const rankCards = async (p: Player) =>
  (await p.c.inbox())
    .filter((c) => c.templateId === RANK)
    .map((c) => c.rows.map((r) => `${r.label}: ${r.value}`));

describe('cloud storage', () => {
  test('the player first, then friends who play (stored data or logged in), with their openid and keys', async () => {
    await set(w.alice, { score: score(5), level: '3' });
    await set(w.bob, { score: score(9) });
    await set(dave, { score: score(99) }); // plays, but no friend of alice
    // carol only opened the game (wx.login): she plays, with nothing stored.
    await carol.c.call('POST', `/api/apps/${w.game.appid}/login`);
    const res = await w.alice.c.friendStorage(w.game.appid, 'score,level,none');
    expect(res.statusCode).toBe(200);
    const openid = (p: Player) => openidFor(w.s.ctx, w.game.appid, p.userId);
    expect(res.json()).toEqual({
      errMsg: 'getFriendCloudStorage:ok',
      data: [
        {
          openid: await openid(w.alice),
          nickname: 'alice',
          avatarUrl: '',
          KVDataList: [
            { key: 'score', value: score(5) },
            { key: 'level', value: '3' },
          ],
        },
        {
          openid: await openid(w.bob),
          nickname: 'bob',
          avatarUrl: '',
          KVDataList: [{ key: 'score', value: score(9) }],
        },
        { openid: await openid(carol), nickname: 'carol', avatarUrl: '', KVDataList: [] },
      ],
    });
    // A friend who never played is left out.
    const bobs = (await w.bob.c.friendStorage(w.game.appid, 'score')).json().data;
    expect(bobs.map((d: { nickname: string }) => d.nickname)).toEqual(['bob', 'alice', 'dave']);
    // Keys are per game.
    const other = await w.s.newApp('minigame');
    const elsewhere = (await w.alice.c.friendStorage(other.appid, 'score')).json().data;
    expect(elsewhere).toEqual([
      {
        openid: await openidFor(w.s.ctx, other.appid, w.alice.userId),
        nickname: 'alice',
        avatarUrl: '',
        KVDataList: [],
      },
    ]);
  });

  test('a later set replaces a key; a repeated key in one call takes its last value', async () => {
    await set(w.alice, { level: '1' });
    const res = await w.alice.c.setStorage(w.game.appid, [
      { key: 'level', value: '2' },
      { key: 'level', value: '3' },
    ]);
    expect(res.json()).toEqual(ok);
    expect((await w.alice.c.friendStorage(w.game.appid, 'level')).json().data[0].KVDataList).toEqual([
      { key: 'level', value: '3' },
    ]);
  });

  test('91000 naming what is wrong, WeChat’s sizes in UTF-8 bytes; nothing is written', async () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /KVDataList must be a list of 1 to 128/],
      [[], /KVDataList must be a list/],
      [{ key: 'a', value: 'b' }, /KVDataList must be a list/],
      [Array.from({ length: 129 }, (_, i) => ({ key: `k${i}`, value: '' })), /KVDataList must be a list/],
      [[{ key: '', value: 'x' }], /KVDataList\[0\]\.key must be a string of 1 to 128 bytes/],
      [
        [
          { key: 'ok', value: 'x' },
          { key: 'é'.repeat(65), value: 'x' },
        ],
        /KVDataList\[1\]\.key/,
      ],
      [
        [{ key: 'a', value: 5 }],
        /KVDataList\[0\]\.value must be a string; key and value together at most 1024 bytes/,
      ],
      [[{ key: 'ab', value: '分'.repeat(341) }], /KVDataList\[0\]\.value/],
      [['a'], /KVDataList\[0\]\.key/],
    ];
    for (const [list, message] of cases) {
      const res = await w.alice.c.setStorage(w.game.appid, list);
      expect(res.statusCode, JSON.stringify(list)).toBe(400);
      expect(res.json().errcode).toBe(91000);
      expect(res.json().errmsg).toMatch(message);
    }
    // 1024 bytes exactly is fine: 'a' and 341 three-byte characters (1025 with 'ab', above).
    expect(
      (await w.alice.c.setStorage(w.game.appid, [{ key: 'a', value: '分'.repeat(341) }])).json(),
    ).toEqual(ok);
    expect((await w.alice.c.friendStorage(w.game.appid, 'ok,k0')).json().data[0].KVDataList).toEqual([]);
  });

  test('at most 128 keys per player and game: the call that would pass it writes nothing', async () => {
    const keys = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: 'v' }));
    expect((await w.alice.c.setStorage(w.game.appid, keys(0, 100))).json()).toEqual(ok);
    const over = await w.alice.c.setStorage(w.game.appid, [...keys(90, 10), ...keys(100, 29)]);
    expect(over.json().errmsg).toMatch(/invalid request: a player holds at most 128 keys in a game/);
    expect((await w.alice.c.friendStorage(w.game.appid, 'k100')).json().data[0].KVDataList).toEqual([]);
    expect((await w.alice.c.setStorage(w.game.appid, keys(90, 38))).json()).toEqual(ok);
  });

  test('keys named like Object.prototype members count toward the 128 like any other', async () => {
    const keys = Array.from({ length: 127 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect((await w.alice.c.setStorage(w.game.appid, keys)).json()).toEqual(ok);
    expect((await w.alice.c.setStorage(w.game.appid, [{ key: 'constructor', value: '1' }])).json()).toEqual(
      ok,
    );
    for (const key of ['toString', '__proto__', 'hasOwnProperty']) {
      const over = await w.alice.c.setStorage(w.game.appid, [{ key, value: '1' }]);
      expect(over.json().errmsg, key).toMatch(/a player holds at most 128 keys in a game/);
    }
    const held = (
      await w.alice.c.friendStorage(w.game.appid, 'constructor,toString,__proto__,hasOwnProperty')
    ).json().data[0].KVDataList;
    expect(held).toEqual([{ key: 'constructor', value: '1' }]);
  });

  test('no keyList, or an empty one: the player and the friends who play, each with no keys', async () => {
    await set(w.alice, { score: score(5) });
    await set(w.bob, { score: score(9) });
    const openid = (p: Player) => openidFor(w.s.ctx, w.game.appid, p.userId);
    const players = [
      { openid: await openid(w.alice), nickname: 'alice', avatarUrl: '', KVDataList: [] },
      { openid: await openid(w.bob), nickname: 'bob', avatarUrl: '', KVDataList: [] },
    ];
    for (const keyList of [undefined, '']) {
      const res = await w.alice.c.friendStorage(w.game.appid, keyList);
      expect(res.statusCode, String(keyList)).toBe(200);
      expect(res.json()).toEqual({ errMsg: 'getFriendCloudStorage:ok', data: players });
    }
  });

  test('keyList: at most 128 keys; a mini program is 95001; an unknown app 404', async () => {
    for (const keyList of [
      ',',
      'a,',
      `${'k'.repeat(129)}`,
      Array.from({ length: 129 }, (_, i) => i).join(','),
    ]) {
      const res = await w.alice.c.friendStorage(w.game.appid, keyList);
      expect([res.statusCode, res.json().errcode], String(keyList)).toEqual([400, 91000]);
    }
    const mp = await w.s.newApp('miniprogram');
    for (const res of [
      await w.alice.c.friendStorage(mp.appid, 'a'),
      await w.alice.c.setStorage(mp.appid, [{ key: 'a', value: '' }]),
    ])
      expect([res.statusCode, res.json().errcode]).toEqual([403, Errors.MINI_GAME_ONLY.code]);
    const unknown = await w.alice.c.friendStorage('wx0000000000000000', 'a');
    expect(unknown.statusCode).toBe(404);
  });
});

describe('rank overtaking', () => {
  beforeEach(async () => {
    for (const p of [w.bob, carol, dave]) await acceptTypes(p, w.game.appid, [RANK]);
  });

  test('passing a subscribed friend sends them one card with both scores', async () => {
    await set(w.bob, { score: score(10) });
    await set(w.alice, { score: score(5) });
    expect(await rankCards(w.bob)).toEqual([]);
    await set(w.alice, { score: score(12) });
    const [card] = await w.bob.c.inbox();
    expect(card).toMatchObject({
      kind: 'system',
      templateId: RANK,
      appid: w.game.appid,
      title: 'Friend overtook you',
      page: null,
      lang: 'en_US',
      rows: [
        { label: 'Friend', value: 'alice' },
        { label: 'Their score', value: '12' },
        { label: 'Your score', value: '10' },
      ],
    });
    // Pushed live too; alice (not passed) and dave (not alice's friend) get nothing.
    expect(w.bob.frames.filter((f) => f.type === 'inbox.card')).toHaveLength(1);
    expect(await rankCards(w.alice)).toEqual([]);
    expect(await rankCards(dave)).toEqual([]);
  });

  test('passed means: the friend was at or above the old score and is below the new one', async () => {
    await set(w.bob, { score: score(10) });
    await set(carol, { score: score(20) });
    await set(w.alice, { score: score(10) });
    // The first score passed nobody at or above it (bob ties at 10).
    await set(w.alice, { score: score(20) });
    expect(await rankCards(w.bob)).toHaveLength(1); // from a tie at 10 to above
    expect(await rankCards(carol)).toEqual([]); // 20 is a tie, not a pass
    w.s.clock.advance(DAY);
    await set(w.alice, { score: score(19) }); // a lower score passes nobody
    await set(w.alice, { score: score(25) });
    expect(await rankCards(carol)).toHaveLength(1);
    expect(await rankCards(w.bob)).toHaveLength(1); // bob (10) was already behind the old score (19)
  });

  test('a key named like an Object.prototype member (toString) has real first and later scores', async () => {
    await set(w.bob, { toString: score(10) });
    await set(w.alice, { toString: score(20) });
    expect(await rankCards(w.bob)).toEqual([['Friend: alice', 'Their score: 20', 'Your score: 10']]);
    w.s.clock.advance(DAY);
    // Not a first score again: bob (10) was already behind alice's old one (20).
    await set(w.alice, { toString: score(30) });
    expect(await rankCards(w.bob)).toHaveLength(1);
  });

  test('a first score above a friend passes them', async () => {
    await set(carol, { score: score(3) });
    await set(w.alice, { score: score(4) });
    expect(await rankCards(carol)).toEqual([['Friend: alice', 'Their score: 4', 'Your score: 3']]);
  });

  test('at most one card per game per China day, whoever passes; the next day again', async () => {
    await set(w.bob, { score: score(10) });
    await set(dave, { score: score(5) });
    await set(w.alice, { score: score(12) });
    expect(await rankCards(w.bob)).toHaveLength(1);
    // dave (bob's friend) passes bob the same day: no second card for bob.
    await set(dave, { score: score(13) });
    expect(await rankCards(w.bob)).toEqual([['Friend: alice', 'Their score: 12', 'Your score: 10']]);
    w.s.clock.advance(DAY);
    await set(w.bob, { score: score(14) });
    await set(w.alice, { score: score(15) });
    expect(await rankCards(w.bob)).toHaveLength(2);
  });

  test('only wxgame scores of the same key count; friends not subscribed or switched off get nothing', async () => {
    const erin = await player(w.s, 'erin');
    await befriend(w.alice, erin);
    await set(erin, { score: score(1) }); // erin never subscribed
    await set(w.bob, { score: score(1), weekly: score(100) });
    await w.bob.c.changeSettings(w.game.appid, { mainSwitch: false });
    await set(carol, { weekly: score(1), note: 'hello' });
    await set(w.alice, { score: score(50), note: '{"wxgame":"x"}', other: score(1000) });
    for (const p of [erin, w.bob, carol]) expect(await rankCards(p)).toEqual([]);
    await set(w.alice, { weekly: 'not a score' });
    expect(await rankCards(carol)).toEqual([]);
  });
});
