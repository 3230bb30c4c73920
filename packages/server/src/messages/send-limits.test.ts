import { DEFAULT_DAILY_SEND_CAP } from '@beckon/protocol';
import { describe, expect, test } from 'vitest';
import { setSubscribeBanned } from '../apps/service.js';
import { ADMIN_TOKEN, RID_SUFFIX, storeBannedTemplate } from '../test-support/harness.js';
import { sendLockKey } from './send.js';
import {
  addTemplate,
  grant,
  type Recipient,
  remaining,
  type SendAnswer,
  send,
  shippedData,
  signUpRecipient,
  useSendWorld,
} from './test-support/send.js';

/** Bans (43107), one send per openid at a time (43108), grants (43101) and the daily cap (45009). */

const w = useSendWorld({ grant: false });

function expectError(answer: SendAnswer, errcode: number, errmsg: string) {
  expect(answer.status).toBe(200);
  expect(answer.errcode, answer.raw).toBe(errcode);
  expect(answer.errmsg.replace(RID_SUFFIX, '')).toBe(errmsg);
  expect(answer.errmsg).toMatch(RID_SUFFIX);
}

const sendTo = (user: Recipient, template = w.tmpl) =>
  send(w.s, w.token, { touser: user.openid, template_id: template, data: shippedData() });
const stored = async (user: Recipient) => (await w.s.ctx.store.messages.inbox(user.userId, 1000)).length;

const admin = (method: 'PUT' | 'GET', url: string, payload?: unknown) =>
  w.s.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });

describe('43107: banned', () => {
  test('a banned app cannot send; unbanned it can; nothing spent meanwhile', async () => {
    await grant(w.s, w.app, w.alice, w.tmpl);
    await setSubscribeBanned(w.s.ctx, w.app.appid, true);
    expectError(await sendTo(w.alice), 43107, 'subscribe message capability banned');
    expect(await remaining(w.s, w.app, w.alice, w.tmpl)).toBe(1);
    await setSubscribeBanned(w.s.ctx, w.app.appid, false);
    expect((await sendTo(w.alice)).errcode).toBe(0);
  });

  test('a template whose library title was banned after the app added it cannot be sent', async () => {
    // tid 1108 is banned in the library, so addtemplate refuses it (200013): store it as added earlier.
    await storeBannedTemplate(w.s, w.app.appid, 'bannedTemplate0000000000000000000000000000', [
      { kid: 1, key: 'thing1', name: '优惠券名称', rule: 'thing', example: '满100减20券' },
    ]);
    await grant(w.s, w.app, w.alice, 'bannedTemplate0000000000000000000000000000');
    const answer = await send(w.s, w.token, {
      touser: w.alice.openid,
      template_id: 'bannedTemplate0000000000000000000000000000',
      data: { thing1: { value: '满100减20券' } },
    });
    expectError(answer, 43107, 'subscribe message capability banned');
    expect(await remaining(w.s, w.app, w.alice, 'bannedTemplate0000000000000000000000000000')).toBe(1);
  });

  test('checked after the data and before the grant', async () => {
    await setSubscribeBanned(w.s.ctx, w.app.appid, true);
    const bad = await send(w.s, w.token, { touser: w.alice.openid, template_id: w.tmpl, data: {} });
    expect(bad.errcode).toBe(47003);
    // No grant at all: still 43107, not 43101.
    expectError(await sendTo(w.alice), 43107, 'subscribe message capability banned');
  });
});

describe('43108: one send per openid at a time', () => {
  test('while another send holds the openid, a send is refused and spends nothing', async () => {
    await grant(w.s, w.app, w.alice, w.tmpl);
    const owner = await w.s.ctx.bus.lock(sendLockKey(w.app.appid, w.alice.openid), 10_000);
    expect(owner).not.toBeNull();
    expectError(
      await sendTo(w.alice),
      43108,
      'Cannot make concurrent calls to the same OpenID, please try again',
    );
    expect(await remaining(w.s, w.app, w.alice, w.tmpl)).toBe(1);
    // Another user of the same app is not held up.
    const bob = await signUpRecipient(w.s, w.app, 'bob');
    await grant(w.s, w.app, bob, w.tmpl);
    expect((await sendTo(bob)).errcode).toBe(0);
    await w.s.ctx.bus.unlock(sendLockKey(w.app.appid, w.alice.openid), owner!);
    expect((await sendTo(w.alice)).errcode).toBe(0);
  });

  test('every send frees the lock, failed or not', async () => {
    await grant(w.s, w.app, w.alice, w.tmpl);
    expect((await sendTo(w.alice)).errcode).toBe(0);
    expect((await sendTo(w.alice)).errcode).toBe(43101);
    const owner = await w.s.ctx.bus.lock(sendLockKey(w.app.appid, w.alice.openid), 10_000);
    expect(owner).not.toBeNull();
  });

  test('a lock left by a crashed send frees itself after 10 s', async () => {
    await grant(w.s, w.app, w.alice, w.tmpl);
    await w.s.ctx.bus.lock(sendLockKey(w.app.appid, w.alice.openid), 10_000);
    expect((await sendTo(w.alice)).errcode).toBe(43108);
    w.s.clock.advance(10_001);
    w.token = await w.s.tokenFor(w.app);
    expect((await sendTo(w.alice)).errcode).toBe(0);
  });
});

describe('43101: no grant', () => {
  test('never subscribed', async () => {
    expectError(await sendTo(w.alice), 43101, 'user refuse to accept the msg');
    expect(await stored(w.alice)).toBe(0);
  });

  test('rejected', async () => {
    await w.s.ctx.store.consent.recordDecisions(
      w.app.appid,
      w.alice.userId,
      [{ templateId: w.tmpl, templateType: 2, status: 'reject', source: 'popup' }],
      w.s.clock.now(),
    );
    expectError(await sendTo(w.alice), 43101, 'user refuse to accept the msg');
  });

  test('one grant, one send: the grant is spent', async () => {
    await grant(w.s, w.app, w.alice, w.tmpl);
    expect((await sendTo(w.alice)).errcode).toBe(0);
    expect(await remaining(w.s, w.app, w.alice, w.tmpl)).toBe(0);
    expectError(await sendTo(w.alice), 43101, 'user refuse to accept the msg');
    expect(await stored(w.alice)).toBe(1);
  });

  test('grants accumulate; a grant of another template does not count', async () => {
    await grant(w.s, w.app, w.alice, w.tmpl, 3);
    const other = await addTemplate(w.s, w.app, 1103, [1, 2]);
    await grant(w.s, w.app, w.alice, other, 5);
    for (let i = 0; i < 3; i++) expect((await sendTo(w.alice)).errcode).toBe(0);
    expect((await sendTo(w.alice)).errcode).toBe(43101);
    expect(await remaining(w.s, w.app, w.alice, other)).toBe(5);
  });

  test('a failed send spends no grant', async () => {
    await grant(w.s, w.app, w.alice, w.tmpl);
    const bad = await send(w.s, w.token, {
      touser: w.alice.openid,
      template_id: w.tmpl,
      data: shippedData({ thing2: '' }),
    });
    expect(bad.errcode).toBe(47003);
    expect(await remaining(w.s, w.app, w.alice, w.tmpl)).toBe(1);
    expect(await stored(w.alice)).toBe(0);
  });

  test('the main switch off leaves nothing to spend', async () => {
    await grant(w.s, w.app, w.alice, w.tmpl, 2);
    await w.s.ctx.store.consent.setMainSwitch(w.app.appid, w.alice.userId, false, w.s.clock.now());
    expectError(await sendTo(w.alice), 43101, 'user refuse to accept the msg');
  });
});

describe('45009: the daily send cap', () => {
  test('cap 2: the third send of the day is refused and spends nothing; the next China day it passes', async () => {
    const res = await admin('PUT', `/admin/apps/${w.app.appid}/send-cap`, { dailySendCap: 2 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ appid: w.app.appid, dailySendCap: 2 });
    const bob = await signUpRecipient(w.s, w.app, 'bob');
    await grant(w.s, w.app, w.alice, w.tmpl, 2);
    await grant(w.s, w.app, bob, w.tmpl, 2);
    expect((await sendTo(w.alice)).errcode).toBe(0);
    expect((await sendTo(bob)).errcode).toBe(0);
    expectError(await sendTo(w.alice), 45009, 'reach max api daily quota limit');
    expect(await remaining(w.s, w.app, w.alice, w.tmpl)).toBe(1);
    expect(await stored(w.alice)).toBe(1);
    // The clock starts at 12:00 China time: 12 hours later is the next China day.
    w.s.clock.advance(12 * 3600_000);
    w.token = await w.s.tokenFor(w.app);
    expect((await sendTo(w.alice)).errcode).toBe(0);
  });

  test('the cap counts per app', async () => {
    await admin('PUT', `/admin/apps/${w.app.appid}/send-cap`, { dailySendCap: 1 });
    const other = await w.s.newApp();
    const otherTmpl = await addTemplate(w.s, other);
    const bobThere = await signUpRecipient(w.s, other, 'bob');
    await grant(w.s, other, bobThere, otherTmpl);
    await grant(w.s, w.app, w.alice, w.tmpl, 2);
    expect((await sendTo(w.alice)).errcode).toBe(0);
    expect((await sendTo(w.alice)).errcode).toBe(45009);
    const there = await send(w.s, await w.s.tokenFor(other), {
      touser: bobThere.openid,
      template_id: otherTmpl,
      data: shippedData(),
    });
    expect(there.errcode).toBe(0);
  });

  test('cap 0 stops every send; null restores the default', async () => {
    await grant(w.s, w.app, w.alice, w.tmpl);
    await admin('PUT', `/admin/apps/${w.app.appid}/send-cap`, { dailySendCap: 0 });
    expect((await sendTo(w.alice)).errcode).toBe(45009);
    const reset = await admin('PUT', `/admin/apps/${w.app.appid}/send-cap`, { dailySendCap: null });
    expect(reset.json().dailySendCap).toBeNull();
    expect((await sendTo(w.alice)).errcode).toBe(0);
  });
});

describe('PUT /admin/apps/:appid/send-cap', () => {
  test('answers the app view; GET shows it; apps start with null (the default)', async () => {
    expect((await admin('GET', `/admin/apps/${w.app.appid}`)).json().dailySendCap).toBeNull();
    const res = await admin('PUT', `/admin/apps/${w.app.appid}/send-cap`, { dailySendCap: 500 });
    expect(res.json()).toEqual({
      ...(await admin('GET', `/admin/apps/${w.app.appid}`)).json(),
      // Credentials are shown only by create, show and the resets.
      secret: undefined,
      rtcSecretKey: undefined,
    });
    expect((await admin('GET', `/admin/apps/${w.app.appid}`)).json().dailySendCap).toBe(500);
    expect(DEFAULT_DAILY_SEND_CAP).toBe(10_000_000);
  });

  test('91000 for a cap that is not a whole number ≥ 0 or null; nothing changes', async () => {
    for (const payload of [
      { dailySendCap: -1 },
      { dailySendCap: 1.5 },
      { dailySendCap: '5' },
      {},
      { dailySendCap: 1e300 },
    ]) {
      const res = await admin('PUT', `/admin/apps/${w.app.appid}/send-cap`, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().errcode).toBe(91000);
    }
    expect((await w.s.ctx.store.apps.get(w.app.appid))?.dailySendCap).toBeNull();
  });

  test('404 91003 for an unknown app; 401 without the admin token', async () => {
    const res = await admin('PUT', '/admin/apps/wx0000000000000000/send-cap', { dailySendCap: 1 });
    expect(res.statusCode).toBe(404);
    expect(res.json().errcode).toBe(91003);
    const anon = await w.s.app.inject({
      method: 'PUT',
      url: `/admin/apps/${w.app.appid}/send-cap`,
      payload: { dailySendCap: 1 },
    });
    expect(anon.statusCode).toBe(401);
  });
});
