import { Errors } from '@beckon/protocol';
import { beforeEach, expect, test } from 'vitest';
import { openidFor } from '../accounts/openids.js';
import { acceptTypes, befriend, type Player, player, useGameWorld } from './test-support/game-world.js';

// wx.modifyFriendInteractiveStorage through the client API (spec §6.5): one "Friend interaction" card to a
// subscribed friend who plays the game, none with `quiet`.

const w = useGameWorld();
const INTERACTIVE = 'SYS_MSG_TYPE_INTERACTIVE';

let carol: Player;
let bobOpenid: string;
beforeEach(async () => {
  carol = await player(w.s, 'carol');
  await befriend(w.alice, w.bob);
  await befriend(w.alice, carol);
  // bob plays (he opened the game) and subscribed; carol is a friend who never played.
  await w.bob.c.call('POST', `/api/apps/${w.game.appid}/login`);
  await acceptTypes(w.bob, w.game.appid, [INTERACTIVE]);
  bobOpenid = await openidFor(w.s.ctx, w.game.appid, w.bob.userId);
});

const interaction = (over: Record<string, unknown> = {}) => ({
  key: '1',
  opNum: 1,
  operation: 'add',
  toUser: bobOpenid,
  ...over,
});
const values = (p: Player) => w.s.ctx.store.games.interactiveValues(w.game.appid, p.userId);

test('adds 1 to the friend’s value and sends them one card each time, live too; no daily limit', async () => {
  const res = await w.alice.c.interact(w.game.appid, interaction({ title: 'Sent you energy' }));
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ errMsg: 'modifyFriendInteractiveStorage:ok' });
  const [card] = await w.bob.c.inbox();
  expect(card).toMatchObject({
    kind: 'system',
    templateId: INTERACTIVE,
    appid: w.game.appid,
    appName: w.game.name,
    title: 'Friend interaction',
    rows: [
      { label: 'From', value: 'alice' },
      { label: 'Message', value: 'Sent you energy' },
    ],
    page: null,
    lang: 'en_US',
  });
  expect(w.bob.frames.filter((f) => f.type === 'inbox.card')).toHaveLength(1);

  await w.alice.c.interact(w.game.appid, interaction());
  await w.alice.c.interact(w.game.appid, interaction({ key: '50' }));
  expect(await values(w.bob)).toEqual({ '1': 2, '50': 1 });
  expect((await w.bob.c.inbox()).map((c) => c.rows[1]?.value)).toEqual([
    'Interacted with you',
    'Interacted with you',
    'Sent you energy',
  ]);
  expect(await values(w.alice)).toEqual({});
});

test('quiet: the value is added, no card; not subscribed or switched off: no card either', async () => {
  await w.alice.c.interact(w.game.appid, interaction({ quiet: true }));
  expect(await values(w.bob)).toEqual({ '1': 1 });
  expect(await w.bob.c.inbox()).toEqual([]);

  await w.bob.c.changeSettings(w.game.appid, { itemSettings: { [INTERACTIVE]: 'reject' } });
  expect((await w.alice.c.interact(w.game.appid, interaction())).statusCode).toBe(200);
  await w.bob.c.changeSettings(w.game.appid, {
    itemSettings: { [INTERACTIVE]: 'accept' },
    mainSwitch: false,
  });
  expect((await w.alice.c.interact(w.game.appid, interaction())).statusCode).toBe(200);
  expect(await values(w.bob)).toEqual({ '1': 3 });
  expect(await w.bob.c.inbox()).toEqual([]);
});

test('the value and the card commit together: when the card cannot be written, nothing is added', async () => {
  // The card's insert fails inside the interaction's transaction (as a full disk would).
  const db = (w.s.ctx.store.games as unknown as { db: import('better-sqlite3').Database }).db;
  db.exec(`CREATE TRIGGER fail_card AFTER INSERT ON messages WHEN NEW.template_id = '${INTERACTIVE}'
    BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
  try {
    expect((await w.alice.c.interact(w.game.appid, interaction())).statusCode).toBe(500);
  } finally {
    db.exec('DROP TRIGGER fail_card');
  }
  expect(await values(w.bob)).toEqual({});
  expect(await w.bob.c.inbox()).toEqual([]);
  // The next one goes: the value and its card.
  expect((await w.alice.c.interact(w.game.appid, interaction())).statusCode).toBe(200);
  expect(await values(w.bob)).toEqual({ '1': 1 });
  expect(await w.bob.c.inbox()).toHaveLength(1);
});

test('toUser must be the openid in this game of a friend who plays it: 95002 otherwise, nothing added', async () => {
  const dave = await player(w.s, 'dave');
  await dave.c.call('POST', `/api/apps/${w.game.appid}/login`); // plays, but is nobody's friend
  const other = await w.s.newApp('minigame');
  const notFriends = [
    await openidFor(w.s.ctx, w.game.appid, dave.userId),
    await openidFor(w.s.ctx, w.game.appid, carol.userId), // a friend who never played
    await openidFor(w.s.ctx, w.game.appid, w.alice.userId), // oneself
    await openidFor(w.s.ctx, other.appid, w.bob.userId), // bob's openid in another game
    'o-no-such-openid',
  ];
  for (const toUser of notFriends) {
    const res = await w.alice.c.interact(w.game.appid, interaction({ toUser }));
    expect(res.statusCode, toUser).toBe(404);
    expect(res.json().errcode).toBe(Errors.NOT_A_PLAYING_FRIEND.code);
    expect(res.json().errmsg).toMatch(
      /^toUser is not the openid of a friend of yours who plays this game rid: /,
    );
  }
  // Once carol plays (stored data), she can be reminded.
  await carol.c.setStorage(w.game.appid, [{ key: 'score', value: '1' }]);
  expect((await w.alice.c.interact(w.game.appid, interaction({ toUser: notFriends[1] }))).statusCode).toBe(
    200,
  );
  expect(await values(dave)).toEqual({});
  expect(await values(w.bob)).toEqual({});
  expect(await values(carol)).toEqual({ '1': 1 });
});

test('91000 naming the argument; 45168 for a title the content policy refuses; nothing added', async () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ key: '0' }, /key must be '1' to '50'/],
    [{ key: '51' }, /key must be/],
    [{ key: '01' }, /key must be/],
    [{ key: 1 }, /key must be/],
    [{ opNum: 2 }, /opNum must be 1/],
    [{ opNum: '1' }, /opNum must be 1/],
    [{ operation: 'sub' }, /operation must be 'add'/],
    [{ toUser: '' }, /toUser must be a friend's openid/],
    [{ title: 'x'.repeat(21) }, /title must be a string of at most 20 characters/],
    [{ title: 7 }, /title must be/],
    [{ quiet: 'yes' }, /quiet must be a boolean/],
  ];
  for (const [over, message] of bad) {
    const res = await w.alice.c.interact(w.game.appid, interaction(over));
    expect(res.statusCode, JSON.stringify(over)).toBe(400);
    expect(res.json().errcode).toBe(91000);
    expect(res.json().errmsg).toMatch(message);
  }
  // 20 characters (not bytes) is fine.
  expect(
    (await w.alice.c.interact(w.game.appid, interaction({ title: '送'.repeat(20), quiet: true }))).statusCode,
  ).toBe(200);
  const link = await w.alice.c.interact(w.game.appid, interaction({ title: 'see www.evil.com' }));
  expect(link.json()).toEqual({
    errCode: 45168,
    errMsg: `modifyFriendInteractiveStorage:fail ${Errors.SENSITIVE_CONTENT.message}`,
  });
  expect(await values(w.bob)).toEqual({ '1': 1 });
});

test('a mini program has no such API (95001); an unknown app 404; no session 92004', async () => {
  const mp = await w.s.newApp('miniprogram');
  const res = await w.alice.c.interact(mp.appid, interaction());
  expect([res.statusCode, res.json().errcode]).toEqual([403, Errors.MINI_GAME_ONLY.code]);
  expect((await w.alice.c.interact('wx0000000000000000', interaction())).statusCode).toBe(404);
  const anonymous = await w.s.app.inject({
    method: 'POST',
    url: `/api/apps/${w.game.appid}/interactions`,
    payload: interaction(),
  });
  expect(anonymous.statusCode).toBe(401);
});
