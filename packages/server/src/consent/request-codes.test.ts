import { type ErrorDef, Errors } from '@beckon/protocol';
import { describe, expect, test } from 'vitest';
import { setSubscribeBanned } from '../apps/service.js';
import { RID_SUFFIX as RID } from '../test-support/harness.js';
import { addTemplate, consentClient, signUp, useConsentWorld } from './test-support/shell.js';

// Every wx.requestSubscribeMessage fail code (spec §3.3), on both the dialog and the answer routes, in the
// exact `{errCode, errMsg}` shape, and nothing recorded by a refused request.

const w = useConsentWorld();

type Res = { statusCode: number; json(): unknown };
const routes = ['prepare', 'subscribe'] as const;

function expectFail(res: Res, def: ErrorDef, detail = '') {
  expect(res.json()).toEqual({
    errCode: def.code,
    errMsg: `requestSubscribeMessage:fail ${def.message}${detail}`,
  });
  expect(res.statusCode).toBe(def.status);
}

/** Both routes refuse `body` with `def`, and the ledger does not change. */
async function expectRefused(body: Record<string, unknown>, def: ErrorDef, appid = w.app.appid) {
  const changes = await w.s.ctx.store.consent.changes(0, 1000);
  const grants = await w.s.ctx.store.consent.grants(appid, w.alice.userId);
  for (const route of routes) {
    const res = await w.c[route](appid, body);
    expect(res.json(), `${route} ${JSON.stringify(body)}`).toEqual({
      errCode: def.code,
      errMsg: `requestSubscribeMessage:fail ${def.message}`,
    });
    expect(res.statusCode).toBe(def.status);
  }
  expect(await w.s.ctx.store.consent.changes(0, 1000)).toEqual(changes);
  expect(await w.s.ctx.store.consent.grants(appid, w.alice.userId)).toEqual(grants);
}

test('the statuses: 400 for the request codes, 403 for switch off and ban', () => {
  for (const def of [Errors.TMPL_IDS_EMPTY, Errors.TMPL_ID_INVALID, Errors.NO_TEMPLATE_DATA])
    expect(def.status).toBe(400);
  for (const def of [Errors.TEMPLATE_TYPES_MIXED, Errors.TEMPLATE_COUNT_EXCEEDED])
    expect(def.status).toBe(400);
  expect(Errors.MAIN_SWITCH_OFF.status).toBe(403);
  expect(Errors.APP_SUBSCRIBE_BANNED.status).toBe(403);
});

test('10001: tmplIds missing, null, empty string or empty array', async () => {
  for (const body of [{}, { tmplIds: null }, { tmplIds: '' }, { tmplIds: [] }]) {
    await expectRefused(body, Errors.TMPL_IDS_EMPTY);
  }
});

test('10004: tmplIds not an array of non-empty strings', async () => {
  const id = await addTemplate(w.s, w.app, 1101);
  for (const tmplIds of ['abc', 42, { 0: id }, [1], [''], [id, 7], [id, null], [[id]]]) {
    await expectRefused({ tmplIds }, Errors.TMPL_ID_INVALID);
  }
});

test('10004: the answer’s own fields are checked too (schema), and accepted may only name requested ids', async () => {
  const [a, b] = [await addTemplate(w.s, w.app, 1101), await addTemplate(w.s, w.app, 1102)];
  expectFail(
    await w.c.subscribe(w.app.appid, { tmplIds: [a], accepted: a }),
    Errors.TMPL_ID_INVALID,
    ': body/accepted must be array',
  );
  expectFail(
    await w.c.subscribe(w.app.appid, { tmplIds: [a], accepted: [a], keepChoice: 'yes' }),
    Errors.TMPL_ID_INVALID,
    ': body/keepChoice must be boolean',
  );
  expectFail(await w.c.subscribe(w.app.appid, { tmplIds: [a], accepted: [b] }), Errors.TMPL_ID_INVALID);
  expect(await w.s.ctx.store.consent.changes(0, 100)).toEqual([]);
});

test('20003: 6 ids for a mini program, 4 for a mini game; 5 and 3 are accepted', async () => {
  const mp = [1101, 1102, 1103, 1104, 1105, 1106];
  const ids = [];
  for (const tid of mp) ids.push(await addTemplate(w.s, w.app, tid));
  await expectRefused({ tmplIds: ids, accepted: ids }, Errors.TEMPLATE_COUNT_EXCEEDED);
  // Counted as passed: a repeated id counts twice.
  await expectRefused({ tmplIds: [...ids.slice(0, 3), ...ids.slice(0, 3)] }, Errors.TEMPLATE_COUNT_EXCEEDED);
  const five = ids.slice(0, 5);
  const ok = await w.c.subscribe(w.app.appid, { tmplIds: five, accepted: five });
  expect(ok.statusCode).toBe(200);
  expect(ok.json()).toEqual({
    errMsg: 'requestSubscribeMessage:ok',
    ...Object.fromEntries(five.map((id) => [id, 'accept'])),
  });

  const game = await w.s.newApp('minigame');
  const gameIds = [];
  for (const tid of [2001, 2002, 2003, 2004]) gameIds.push(await addTemplate(w.s, game, tid));
  await expectRefused({ tmplIds: gameIds }, Errors.TEMPLATE_COUNT_EXCEEDED, game.appid);
  const three = gameIds.slice(0, 3);
  const prepared = await w.c.prepare(game.appid, { tmplIds: three });
  expect(prepared.statusCode).toBe(200);
  expect(prepared.json().templates).toHaveLength(3);
  const gameOk = await w.c.subscribe(game.appid, { tmplIds: three, accepted: three });
  expect(gameOk.json()).toEqual({
    errMsg: 'requestSubscribeMessage:ok',
    ...Object.fromEntries(three.map((id) => [id, 'accept'])),
  });
});

test('20005: the app is banned from subscribe messages', async () => {
  const id = await addTemplate(w.s, w.app, 1101);
  await setSubscribeBanned(w.s.ctx, w.app.appid, true);
  await expectRefused({ tmplIds: [id], accepted: [id] }, Errors.APP_SUBSCRIBE_BANNED);
  await setSubscribeBanned(w.s.ctx, w.app.appid, false);
  expect((await w.c.subscribe(w.app.appid, { tmplIds: [id], accepted: [id] })).statusCode).toBe(200);
});

test('20004: the user switched the app’s main switch off (another user is not affected)', async () => {
  const id = await addTemplate(w.s, w.app, 1101);
  expect((await w.c.changeSettings(w.app.appid, { mainSwitch: false })).statusCode).toBe(200);
  const changesBefore = await w.s.ctx.store.consent.changes(0, 100);
  for (const route of routes) {
    expectFail(await w.c[route](w.app.appid, { tmplIds: [id], accepted: [id] }), Errors.MAIN_SWITCH_OFF);
  }
  expect(await w.s.ctx.store.consent.changes(0, 100)).toEqual(changesBefore);
  expect(await w.s.ctx.store.consent.grants(w.app.appid, w.alice.userId)).toEqual([]);
  const bob = consentClient(w.s, await signUp(w.s, 'bob'));
  expect((await bob.subscribe(w.app.appid, { tmplIds: [id], accepted: [id] })).json()).toEqual({
    errMsg: 'requestSubscribeMessage:ok',
    [id]: 'accept',
  });
});

test('20001: an unknown id, or another app’s template', async () => {
  const mine = await addTemplate(w.s, w.app, 1101);
  const other = await w.s.newApp();
  const theirs = await addTemplate(w.s, other, 1102);
  await expectRefused({ tmplIds: ['no-such-template'] }, Errors.NO_TEMPLATE_DATA);
  await expectRefused({ tmplIds: [mine, theirs], accepted: [mine] }, Errors.NO_TEMPLATE_DATA);
  await expectRefused({ tmplIds: ['errMsg'] }, Errors.NO_TEMPLATE_DATA);
});

test('20002: one-time and long-term ids mixed', async () => {
  const oneTime = await addTemplate(w.s, w.app, 1101);
  const longTerm = await addTemplate(w.s, w.app, 1402);
  await expectRefused(
    { tmplIds: [oneTime, longTerm], accepted: [oneTime, longTerm] },
    Errors.TEMPLATE_TYPES_MIXED,
  );
});

describe('the order of the checks: 10001, 10004, 20003, 20005, 20004, 20001, 20002', () => {
  test('each check wins over every later one', async () => {
    const oneTime = await addTemplate(w.s, w.app, 1101);
    const longTerm = await addTemplate(w.s, w.app, 1402);
    await setSubscribeBanned(w.s.ctx, w.app.appid, true);
    await w.c.changeSettings(w.app.appid, { mainSwitch: false });
    const many = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'];
    await expectRefused({ tmplIds: [] }, Errors.TMPL_IDS_EMPTY);
    await expectRefused({ tmplIds: [...many, 7] }, Errors.TMPL_ID_INVALID);
    await expectRefused({ tmplIds: many }, Errors.TEMPLATE_COUNT_EXCEEDED);
    await expectRefused({ tmplIds: ['x1', oneTime, longTerm] }, Errors.APP_SUBSCRIBE_BANNED);
    await setSubscribeBanned(w.s.ctx, w.app.appid, false);
    await expectRefused({ tmplIds: ['x1', oneTime, longTerm] }, Errors.MAIN_SWITCH_OFF);
    await w.c.changeSettings(w.app.appid, { mainSwitch: true });
    await expectRefused({ tmplIds: [oneTime, longTerm, 'x1'] }, Errors.NO_TEMPLATE_DATA);
    await expectRefused({ tmplIds: [oneTime, longTerm] }, Errors.TEMPLATE_TYPES_MIXED);
  });
});

describe('failures of the shell keep the default shape', () => {
  test('unknown app: 404 91003', async () => {
    for (const route of routes) {
      const res = await w.c[route]('wx0000000000000000', { tmplIds: ['x'] });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ errcode: Errors.APP_NOT_FOUND.code, errmsg: expect.stringMatching(RID) });
    }
  });

  test('no session or a wrong one: 401 92004, never app credentials', async () => {
    const id = await addTemplate(w.s, w.app, 1101);
    for (const authorization of [undefined, 'Bearer nope', `Bearer ${await w.s.tokenFor(w.app)}`]) {
      const res = await w.s.app.inject({
        method: 'POST',
        url: `/api/apps/${w.app.appid}/subscriptions`,
        headers: authorization ? { authorization } : {},
        payload: { tmplIds: [id], accepted: [id] },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        errcode: Errors.SESSION_INVALID.code,
        errmsg: expect.stringMatching(RID),
      });
    }
    expect(await w.s.ctx.store.consent.changes(0, 100)).toEqual([]);
  });

  test('a body that is not an object is 10004; no body at all 44002, in the API’s shape', async () => {
    const res = await w.s.app.inject({
      method: 'POST',
      url: `/api/apps/${w.app.appid}/subscriptions/prepare`,
      headers: { authorization: `Bearer ${w.alice.token}`, 'content-type': 'application/json' },
      payload: '["x"]',
    });
    expectFail(res, Errors.TMPL_ID_INVALID, ': body must be object');
    expectFail(await w.c.prepare(w.app.appid, undefined), Errors.EMPTY_POST_DATA);
  });
});
