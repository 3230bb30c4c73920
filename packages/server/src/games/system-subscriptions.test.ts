import { type ErrorDef, Errors, SYS_MSG_TYPES } from '@beckon/protocol';
import { describe, expect, test } from 'vitest';
import { setSubscribeBanned } from '../apps/service.js';
import { RID_SUFFIX } from '../test-support/harness.js';
import { acceptTypes, playerClient, useGameWorld } from './test-support/game-world.js';

// wx.requestSubscribeSystemMessage through the client API (spec §4.5, §3.3): the dialog, the answer, the
// fail codes in WeChat's order and shape, permanence, and getSetting / the settings page.

const w = useGameWorld();
const INTERACTIVE = 'SYS_MSG_TYPE_INTERACTIVE';
const RANK = 'SYS_MSG_TYPE_RANK';
const WHATS_NEW = 'SYS_MSG_TYPE_WHATS_NEW';
const routes = ['prepare', 'subscribe'] as const;

/** Both routes refuse `body` with `def` in the wx API's fail shape, and nothing is recorded. */
async function expectRefused(body: Record<string, unknown>, def: ErrorDef, appid = w.game.appid) {
  for (const route of routes) {
    const res = await w.alice.c[route](appid, body);
    expect(res.json(), `${route} ${JSON.stringify(body)}`).toEqual({
      errCode: def.code,
      errMsg: `requestSubscribeSystemMessage:fail ${def.message}`,
    });
    expect(res.statusCode).toBe(def.status);
  }
  expect(await w.s.ctx.store.games.systemSubscriptions(appid, w.alice.userId)).toEqual([]);
}

describe('the dialog and the answer', () => {
  test('prepare shows each distinct type once, in request order, with its name; nothing is recorded', async () => {
    const res = await w.alice.c.prepare(w.game.appid, { msgTypeList: [RANK, INTERACTIVE, RANK] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      appid: w.game.appid,
      appName: w.game.name,
      types: [
        { msgType: RANK, name: 'Friend overtaking reminders', status: 'ask' },
        { msgType: INTERACTIVE, name: 'Friend interaction reminders', status: 'ask' },
      ],
      silent: false,
    });
    expect(await w.s.ctx.store.games.systemSubscriptions(w.game.appid, w.alice.userId)).toEqual([]);
  });

  test('the answer: switched-on types accept, the others reject; WeChat’s result object', async () => {
    const res = await w.alice.c.subscribe(w.game.appid, {
      msgTypeList: [INTERACTIVE, RANK, WHATS_NEW],
      accepted: [RANK],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      errMsg: 'requestSubscribeSystemMessage:ok',
      [INTERACTIVE]: 'reject',
      [RANK]: 'accept',
      [WHATS_NEW]: 'reject',
    });
    const subs = await w.s.ctx.store.games.systemSubscriptions(w.game.appid, w.alice.userId);
    expect(subs.map((s) => [s.msgType, s.status, s.kept])).toEqual([
      [INTERACTIVE, 'reject', false],
      [RANK, 'accept', true],
      [WHATS_NEW, 'reject', false],
    ]);
  });

  test('an accept is permanent: later requests are answered silently, still accept; a reject is asked again', async () => {
    await w.alice.c.subscribe(w.game.appid, { msgTypeList: [INTERACTIVE, RANK], accepted: [INTERACTIVE] });
    const dialog = (await w.alice.c.prepare(w.game.appid, { msgTypeList: [INTERACTIVE, RANK] })).json();
    expect(dialog.types.map((t: { status: string }) => t.status)).toEqual(['accept', 'ask']);
    expect(dialog.silent).toBe(false);

    // Only INTERACTIVE: nothing to ask.
    expect((await w.alice.c.prepare(w.game.appid, { msgTypeList: [INTERACTIVE] })).json().silent).toBe(true);
    // `accepted` is ignored for a settled type: it stays accepted even when the shell posts nothing.
    const silent = await w.alice.c.subscribe(w.game.appid, { msgTypeList: [INTERACTIVE], accepted: [] });
    expect(silent.json()).toEqual({ errMsg: 'requestSubscribeSystemMessage:ok', [INTERACTIVE]: 'accept' });

    const again = await w.alice.c.subscribe(w.game.appid, { msgTypeList: [RANK], accepted: [RANK] });
    expect(again.json()).toEqual({ errMsg: 'requestSubscribeSystemMessage:ok', [RANK]: 'accept' });
  });

  test('an answer settled elsewhere between the dialog and this answer stands, and the answer says so', async () => {
    const games = w.s.ctx.store.games;
    const record = games.recordSystemDecisions;
    // While this answer is on its way, the user accepts RANK in another dialog and switches WHATS_NEW off
    // in the settings page (both commit first).
    games.recordSystemDecisions = async (...args) => {
      await record.call(games, w.game.appid, w.alice.userId, [{ msgType: RANK, status: 'accept' }], 1);
      await games.setSystemType(w.game.appid, w.alice.userId, WHATS_NEW, 'reject', 2);
      return record.apply(games, args);
    };
    try {
      const res = await w.alice.c.subscribe(w.game.appid, {
        msgTypeList: [INTERACTIVE, RANK, WHATS_NEW],
        accepted: [INTERACTIVE, WHATS_NEW],
      });
      expect(res.json()).toEqual({
        errMsg: 'requestSubscribeSystemMessage:ok',
        [INTERACTIVE]: 'accept',
        [RANK]: 'accept',
        [WHATS_NEW]: 'reject',
      });
    } finally {
      games.recordSystemDecisions = record;
    }
    const subs = await games.systemSubscriptions(w.game.appid, w.alice.userId);
    expect(subs.map((s) => [s.msgType, s.status, s.kept])).toEqual([
      [INTERACTIVE, 'accept', true],
      [RANK, 'accept', true],
      [WHATS_NEW, 'reject', true],
    ]);
  });

  test('each user answers for themselves only', async () => {
    await acceptTypes(w.alice, w.game.appid, [RANK]);
    const dialog = (await w.bob.c.prepare(w.game.appid, { msgTypeList: [RANK] })).json();
    expect(dialog.types[0].status).toBe('ask');
  });
});

describe('fail codes, in WeChat’s order', () => {
  test('10001: msgTypeList missing, null, empty string or empty array', async () => {
    for (const body of [{}, { msgTypeList: null }, { msgTypeList: '' }, { msgTypeList: [] }])
      await expectRefused(body, Errors.TMPL_IDS_EMPTY);
  });

  test('10004: not a list of known types, or more than 3 (repeats included): the API has no 20003', async () => {
    for (const msgTypeList of [
      RANK,
      [RANK, 'SYS_MSG_TYPE_OTHER'],
      ['sys_msg_type_rank'],
      [1],
      [RANK, INTERACTIVE, WHATS_NEW, RANK],
    ])
      await expectRefused({ msgTypeList }, Errors.TMPL_ID_INVALID);
    // Three, even repeated, are fine.
    expect((await w.alice.c.prepare(w.game.appid, { msgTypeList: [RANK, RANK, RANK] })).statusCode).toBe(200);
  });

  test('10004: accepted must be a list naming requested types', async () => {
    const bad = await w.alice.c.subscribe(w.game.appid, { msgTypeList: [RANK], accepted: RANK });
    expect(bad.json()).toEqual({
      errCode: 10004,
      errMsg: 'requestSubscribeSystemMessage:fail Invalid template id: body/accepted must be array',
    });
    const other = await w.alice.c.subscribe(w.game.appid, { msgTypeList: [RANK], accepted: [WHATS_NEW] });
    expect(other.json().errCode).toBe(10004);
    expect(await w.s.ctx.store.games.systemSubscriptions(w.game.appid, w.alice.userId)).toEqual([]);
  });

  test('20005 app banned, before 20004 main switch off; both after the request’s own checks', async () => {
    await w.alice.c.changeSettings(w.game.appid, { mainSwitch: false });
    await expectRefused({ msgTypeList: [RANK] }, Errors.MAIN_SWITCH_OFF);
    await setSubscribeBanned(w.s.ctx, w.game.appid, true);
    await expectRefused({ msgTypeList: [RANK] }, Errors.APP_SUBSCRIBE_BANNED);
    await expectRefused({ msgTypeList: [] }, Errors.TMPL_IDS_EMPTY);
  });

  test('a main switch turned off between the dialog and the answer records nothing (20004)', async () => {
    expect((await w.alice.c.prepare(w.game.appid, { msgTypeList: [RANK] })).statusCode).toBe(200);
    await w.s.ctx.store.consent.setMainSwitch(w.game.appid, w.alice.userId, false, w.s.clock.now());
    await expectRefused({ msgTypeList: [RANK], accepted: [RANK] }, Errors.MAIN_SWITCH_OFF);
  });

  test('a mini program has no such API: 95001 in the default shape; unknown app 404; no session 92004', async () => {
    const mp = await w.s.newApp('miniprogram');
    for (const route of routes) {
      const res = await w.alice.c[route](mp.appid, { msgTypeList: [RANK], accepted: [RANK] });
      expect(res.statusCode).toBe(403);
      expect(res.json().errcode).toBe(Errors.MINI_GAME_ONLY.code);
      expect(res.json().errmsg).toMatch(RID_SUFFIX);
      const unknown = await w.alice.c[route]('wx0000000000000000', { msgTypeList: [RANK] });
      expect([unknown.statusCode, unknown.json().errcode]).toEqual([404, Errors.APP_NOT_FOUND.code]);
    }
    const anonymous = playerClient(w.s, { token: 'nope' });
    const res = await anonymous.prepare(w.game.appid, { msgTypeList: [RANK] });
    expect([res.statusCode, res.json().errcode]).toEqual([401, Errors.SESSION_INVALID.code]);
  });
});

describe('getSetting and the settings page', () => {
  test('itemSettings lists the answered system types, accepted and rejected; none before any answer', async () => {
    expect((await w.alice.c.settings(w.game.appid)).json()).toEqual({
      errMsg: 'getSetting:ok',
      subscriptionsSetting: { mainSwitch: true },
    });
    await w.alice.c.subscribe(w.game.appid, { msgTypeList: [INTERACTIVE, RANK], accepted: [INTERACTIVE] });
    expect((await w.alice.c.settings(w.game.appid)).json()).toEqual({
      errMsg: 'getSetting:ok',
      subscriptionsSetting: { mainSwitch: true, itemSettings: { [INTERACTIVE]: 'accept', [RANK]: 'reject' } },
    });
  });

  test('the settings page switches a type off (kept: answered reject without asking) and on again', async () => {
    await acceptTypes(w.alice, w.game.appid, [RANK]);
    const off = await w.alice.c.changeSettings(w.game.appid, { itemSettings: { [RANK]: 'reject' } });
    expect(off.json().subscriptionsSetting.itemSettings).toEqual({ [RANK]: 'reject' });
    const dialog = (await w.alice.c.prepare(w.game.appid, { msgTypeList: [RANK] })).json();
    expect([dialog.types[0].status, dialog.silent]).toEqual(['reject', true]);
    const answer = await w.alice.c.subscribe(w.game.appid, { msgTypeList: [RANK], accepted: [RANK] });
    expect(answer.json()).toEqual({ errMsg: 'requestSubscribeSystemMessage:ok', [RANK]: 'reject' });

    const on = await w.alice.c.changeSettings(w.game.appid, { itemSettings: { [RANK]: 'accept' } });
    expect(on.json().subscriptionsSetting.itemSettings).toEqual({ [RANK]: 'accept' });
    // Also a type never answered can be switched on there.
    await w.alice.c.changeSettings(w.game.appid, { itemSettings: { [WHATS_NEW]: 'accept' } });
    expect((await w.alice.c.settings(w.game.appid)).json().subscriptionsSetting.itemSettings).toEqual({
      [RANK]: 'accept',
      [WHATS_NEW]: 'accept',
    });
  });

  test('the main switch off keeps the types as they are (they resume when it is on again)', async () => {
    await acceptTypes(w.alice, w.game.appid, [...SYS_MSG_TYPES]);
    await w.alice.c.changeSettings(w.game.appid, { mainSwitch: false });
    expect((await w.alice.c.settings(w.game.appid)).json().subscriptionsSetting).toEqual({
      mainSwitch: false,
      itemSettings: { [INTERACTIVE]: 'accept', [RANK]: 'accept', [WHATS_NEW]: 'accept' },
    });
  });

  test('system types are a mini game’s: for a mini program they are unknown template ids (20001)', async () => {
    const mp = await w.s.newApp('miniprogram');
    const res = await w.alice.c.changeSettings(mp.appid, { itemSettings: { [RANK]: 'reject' } });
    expect(res.json()).toEqual({
      errCode: 20001,
      errMsg: `openSetting:fail ${Errors.NO_TEMPLATE_DATA.message}`,
    });
  });

  test('an unknown template id beside a system type writes nothing (20001 first)', async () => {
    const res = await w.alice.c.changeSettings(w.game.appid, {
      itemSettings: { [RANK]: 'accept', nosuchtemplate: 'reject' },
    });
    expect(res.json().errCode).toBe(20001);
    expect(await w.s.ctx.store.games.systemSubscriptions(w.game.appid, w.alice.userId)).toEqual([]);
  });
});
