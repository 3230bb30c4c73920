import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openidFor } from '../../../packages/server/src/accounts/openids.js';
import { call, inbox, loginCode, platformGrants, player, subscribe, waitFor, world } from './support.js';

let w;
beforeEach(async () => {
  w = await world();
});
afterEach(async () => {
  await w.close();
});

/** The card's 恢复时间: `HH:mm` of the refill, in the test's time zone (UTC). */
const clock = (ms) => new Date(ms).toISOString().slice(11, 16);
const run = (game, p) => call(game, 'POST', '/runs', undefined, p.session);
const me = async (game, p) => (await call(game, 'GET', '/me', undefined, p.session)).body;

test('sign-in: a wx.login code becomes the openid through code2Session; a used or unknown code is 400; the other routes need the session', async () => {
  const game = await w.game();
  const alice = await player(w, game, 'alice');
  expect(alice.openid).toBe(await openidFor(w.s.ctx, w.app.appid, alice.userId));
  expect(alice.signIn).toMatchObject({ stamina: 5, maxStamina: 5, refillAt: null, banked: 0 });
  expect(await me(game, alice)).toEqual({
    openid: alice.openid,
    stamina: 5,
    maxStamina: 5,
    refillAt: null,
    banked: 0,
  });

  const code = await loginCode(w, alice);
  const first = await call(game, 'POST', '/session', { code });
  expect(first.body.openid).toBe(alice.openid);
  // A second session of the same player: both work.
  expect(first.body.session).not.toBe(alice.session);
  expect((await me(game, { session: first.body.session })).openid).toBe(alice.openid);
  const reused = await call(game, 'POST', '/session', { code });
  expect(reused.status).toBe(400);
  expect(reused.body.error).toMatch(/^wx\.login code refused: code been used/);
  expect((await call(game, 'POST', '/session', { code: 'not-a-code' })).status).toBe(400);
  expect((await call(game, 'POST', '/session', {})).body).toEqual({
    error: '"code" must be a non-empty string',
  });

  // The openid alone is no sign-in: friends' openids are on every board.
  for (const session of [undefined, 'forged-session', alice.openid]) {
    expect((await call(game, 'GET', '/me', undefined, session)).status).toBe(401);
    expect((await call(game, 'POST', '/runs', undefined, session)).status).toBe(401);
    const report = await call(game, 'POST', '/subscriptions/report', { refused: 'all' }, session);
    expect(report.status).toBe(401);
  }
  expect((await me(game, alice)).stamina).toBe(5);
});

test('the banked count: +1 for each accepted dialog, none for a reject; refusals empty it; ids that are not the game’s are not counted', async () => {
  const game = await w.game();
  const alice = await player(w, game, 'alice');
  const bob = await player(w, game, 'bob');
  expect((await subscribe(w, game, alice)).banked).toBe(1);
  expect((await subscribe(w, game, alice)).banked).toBe(2);
  expect((await subscribe(w, game, alice, { accepted: [] })).banked).toBe(2);
  expect(await platformGrants(w, alice)).toBe(2);
  expect((await me(game, bob)).banked).toBe(0);

  const forged = await call(
    game,
    'POST',
    '/subscriptions/report',
    { result: { errMsg: 'requestSubscribeMessage:ok', notTheGames: 'accept' } },
    alice.session,
  );
  expect(forged.body).toMatchObject({ banked: 2, ignored: ['notTheGames'] });
  for (const body of [{ result: [1] }, { result: null }, { refused: 'some' }, { refused: [1] }]) {
    const bad = await call(game, 'POST', '/subscriptions/report', body, alice.session);
    expect(bad.status, JSON.stringify(body)).toBe(400);
  }
  expect((await me(game, alice)).banked).toBe(2);

  // The page found the main switch off in wx.getSetting.
  const off = await call(game, 'POST', '/subscriptions/report', { refused: 'all' }, alice.session);
  expect(off.body).toMatchObject({ openid: alice.openid, banked: 0 });
});

test('a refill sends the "Stamina refilled" card, spending exactly one banked grant; without one it sends nothing', async () => {
  const game = await w.game({ refillMs: 250 });
  const alice = await player(w, game, 'alice');
  await subscribe(w, game, alice);
  await subscribe(w, game, alice);

  const first = await run(game, alice);
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ stamina: 4, maxStamina: 5 });
  const refillAt = Date.parse(first.body.refillAt);
  const [card] = await waitFor('the card', async () => {
    const cards = await inbox(w, alice);
    return cards.length === 1 && cards;
  });
  expect(Date.now()).toBeGreaterThanOrEqual(refillAt);
  expect(card).toMatchObject({ templateId: w.template, openid: alice.openid, page: 'index', lang: 'en_US' });
  expect(card.rows.map((row) => row.value)).toEqual([
    'Star Hopper',
    '5',
    clock(refillAt),
    'Full stamina, hop in',
  ]);
  expect(await platformGrants(w, alice)).toBe(1);
  expect(await me(game, alice)).toMatchObject({ stamina: 5, refillAt: null, banked: 1 });

  // Two runs on one bar: one refill, one card.
  await run(game, alice);
  expect((await run(game, alice)).body.stamina).toBe(3);
  await waitFor('the second card', async () => (await inbox(w, alice)).length === 2);
  expect(await me(game, alice)).toMatchObject({ stamina: 5, banked: 0 });
  expect(await platformGrants(w, alice)).toBe(0);

  // Nothing banked: the bar refills all the same, and no card.
  await run(game, alice);
  await waitFor('the refill', async () => (await me(game, alice)).stamina === 5);
  await sleep(200);
  expect(await inbox(w, alice)).toHaveLength(2);
});

test('a bar holds five runs; the first fixes the refill time; an empty bar is 409 until it refills', async () => {
  const game = await w.game({ refillMs: 60_000 });
  const alice = await player(w, game, 'alice');
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push((await run(game, alice)).body);
  expect(runs.map((r) => r.stamina)).toEqual([4, 3, 2, 1, 0]);
  expect(new Set(runs.map((r) => r.refillAt)).size).toBe(1);
  expect(await run(game, alice)).toEqual({
    status: 409,
    body: { error: 'out of stamina', stamina: 0, maxStamina: 5, refillAt: runs[0].refillAt },
  });
  const bob = await player(w, game, 'bob');
  expect((await run(game, bob)).body.stamina).toBe(4);
});

test('the developer’s refill: needs the app secret; a tip the template’s keyword rules refuse is 400 and refills nothing; a good one is on the card', async () => {
  const game = await w.game();
  const alice = await player(w, game, 'alice');
  await subscribe(w, game, alice);
  await run(game, alice);
  const refill = async (body, secret = w.app.secret) => {
    const res = await fetch(new URL('/admin/refills', game.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };

  expect((await refill({ openid: alice.openid }, 'wrong')).status).toBe(401);
  expect((await refill({ openid: alice.openid }, alice.session)).status).toBe(401);
  // 温馨提示 is a `thing`: at most 20 characters, never empty.
  for (const tip of ['体力已满，快来闯关吧！再来一局冲击排行榜吧', '', ' ']) {
    const bad = await refill({ openid: alice.openid, tip });
    expect(bad.status, tip).toBe(400);
    expect(bad.body.error).toMatch(/data\.thing4\.value/);
  }
  expect((await refill({ openid: alice.openid, tip: 7 })).status).toBe(400);
  expect(await me(game, alice)).toMatchObject({ stamina: 4, banked: 1 });
  expect(await inbox(w, alice)).toHaveLength(0);

  const done = await refill({ openid: alice.openid, tip: '体力已满，快来闯关吧' });
  expect(done.status).toBe(200);
  expect(done.body).toMatchObject({ refilled: true, card: { sent: true }, stamina: 5, banked: 0 });
  const [card] = await inbox(w, alice);
  expect(card.msgid.toString()).toBe(done.body.card.msgid);
  expect(card.rows.at(-1).value).toBe('体力已满，快来闯关吧');
  expect(await platformGrants(w, alice)).toBe(0);

  // A full bar has nothing to refill.
  expect((await refill({ openid: alice.openid })).status).toBe(409);
  // Refilled without a reminder banked: no card, said so.
  await run(game, alice);
  expect((await refill({ openid: alice.openid })).body).toMatchObject({
    refilled: true,
    card: { sent: false, reason: 'no reminder banked' },
  });
  expect(await inbox(w, alice)).toHaveLength(1);
});

test('a refill that fell due while the game was down is made when it starts again, card included; bank and bar survive the restart', async () => {
  let game = await w.game({ refillMs: 300 });
  const alice = await player(w, game, 'alice');
  await subscribe(w, game, alice);
  await subscribe(w, game, alice);
  const { refillAt } = (await run(game, alice)).body;
  await w.stop(game);
  await sleep(Date.parse(refillAt) - Date.now() + 100);
  expect(await inbox(w, alice)).toHaveLength(0);

  game = await w.game({ refillMs: 300 });
  await waitFor('the card', async () => (await inbox(w, alice)).length === 1);
  // Sessions live in memory: after a restart the page signs in again.
  expect((await call(game, 'GET', '/me', undefined, alice.session)).status).toBe(401);
  const again = await call(game, 'POST', '/session', { code: await loginCode(w, alice) });
  expect(again.body).toMatchObject({ openid: alice.openid, stamina: 5, refillAt: null, banked: 1 });

  // A bar below full is kept too.
  const session = again.body.session;
  await call(game, 'POST', '/runs', undefined, session);
  await w.stop(game);
  game = await w.game({ refillMs: 60_000 });
  const back = await call(game, 'POST', '/session', { code: await loginCode(w, alice) });
  expect(back.body).toMatchObject({ stamina: 4, banked: 1 });
});
