import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, test } from 'vitest';
import { PushDispatcher } from '../../../packages/server/src/events/dispatcher.js';
import { signUpRecipient } from '../../../packages/server/src/messages/test-support/send.js';
import { ADMIN_TOKEN } from '../../../packages/server/src/test-support/harness.js';
import { call, PUSH_AES_KEY, PUSH_TOKEN, useShopWorld, waitFor } from './support/world.js';

/*
 * The shop's backend routes of its first version (orders paid, bookings, reports, the ledger, message
 * push) against a real Beckon (support/world.js).
 */

const world = useShopWorld();
let dispatcher;
afterEach(async () => {
  await dispatcher?.stop();
  dispatcher = undefined;
});

test('an order paid: the card reaches the user who granted it; pushed events keep the ledger equal to Beckon’s', async () => {
  // The mirror compares a change event's CreateTime (Beckon's clock) with the time of the latest accept the
  // shop heard of (its own clock): run Beckon's test clock, which otherwise stands at 2026-01-01, at now.
  world.s.clock.set(Date.now());
  const running = await world.shop({ push: true });
  // Message push to the shop in secure mode, as `beckon app push` sets it (the URL check goes to the shop).
  const push = await world.s.app.inject({
    method: 'PUT',
    url: `/admin/apps/${world.app.appid}/push`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: {
      url: `${running.url}/push`,
      token: PUSH_TOKEN,
      encodingAESKey: PUSH_AES_KEY,
      format: 'json',
      mode: 'secure',
    },
  });
  expect(push.statusCode, push.body).toBe(200);
  dispatcher = new PushDispatcher(world.s.ctx, { pollMs: 20 }).start();
  const delivered = async (n) => {
    const res = await world.s.app.inject({
      method: 'GET',
      url: `/admin/apps/${world.app.appid}/push/deliveries?status=delivered&limit=100`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    return res.json().deliveries.length >= n;
  };

  const alice = await signUpRecipient(world.s, world.app, 'alice');
  const bob = await signUpRecipient(world.s, world.app, 'bob');
  // The client's report and the popup event tell of the same accept: counted once.
  expect(
    await world.subscribeAndReport(running.url, alice, [world.templates.shipped], [world.templates.shipped]),
  ).toEqual({
    shipped: 1,
    delivered: 0,
    reminder: 0,
  });
  await waitFor('the popup event', () => delivered(1));
  expect((await call(running.url, 'GET', `/ledger/${alice.openid}`)).body.counts.shipped).toBe(1);

  const paid = await call(running.url, 'POST', '/orders/A1001/paid', {
    openid: alice.openid,
    item: '无线蓝牙耳机',
  });
  expect(paid.status).toBe(200);
  expect(paid.body).toMatchObject({
    orderId: 'A1001',
    notified: true,
    msgid: expect.stringMatching(/^\d+$/),
  });
  const cards = await world.inbox(alice);
  expect(cards).toHaveLength(1);
  expect(cards[0]).toMatchObject({
    title: '订单发货提醒',
    msgid: BigInt(paid.body.msgid),
    page: 'pages/order/detail?id=A1001',
  });
  expect(cards[0].rows.map((r) => r.value)).toContain('无线蓝牙耳机');

  // The grant is spent: the next order is not notified, and Beckon is not even asked.
  const again = await call(running.url, 'POST', '/orders/A1002/paid', { openid: alice.openid });
  expect(again.body).toMatchObject({ notified: false });
  const never = await call(running.url, 'POST', '/orders/B2001/paid', { openid: bob.openid });
  expect(never.body).toMatchObject({ notified: false });
  expect(await world.inbox(alice)).toHaveLength(1);
  expect(await world.inbox(bob)).toHaveLength(0);

  // The sent event arrives after the answer already spent it: still 0, like Beckon.
  await waitFor('the sent event', () => delivered(2));
  expect((await call(running.url, 'GET', `/ledger/${alice.openid}`)).body.counts.shipped).toBe(0);
  expect(await world.platformCount(alice, world.templates.shipped)).toBe(0);

  // The user turns the template off after a new accept: the change event zeroes the shop's count.
  await world.subscribeAndReport(running.url, alice, [world.templates.shipped], [world.templates.shipped]);
  world.s.clock.set(Date.now());
  const off = await world.s.app.inject({
    method: 'PUT',
    url: `/api/apps/${world.app.appid}/settings`,
    headers: { authorization: `Bearer ${alice.token}` },
    payload: { itemSettings: { [world.templates.shipped]: 'reject' } },
  });
  expect(off.statusCode, off.body).toBe(200);
  await waitFor('the change event', () => delivered(4));
  expect((await call(running.url, 'GET', `/ledger/${alice.openid}`)).body.counts.shipped).toBe(0);

  // Bad input is a clear 400, never a 500.
  expect((await call(running.url, 'POST', '/orders/A1003/paid', {})).status).toBe(400);
  expect(
    (await call(running.url, 'POST', '/orders/A1003/paid', { openid: alice.openid, item: 'x'.repeat(21) }))
      .body,
  ).toEqual({
    error: 'argument invalid! data.thing2.value invalid',
  });
});

test('a booking due while the shop is stopped is sent when it starts again; the schedule file is intact', async () => {
  let running = await world.shop();
  const alice = await signUpRecipient(world.s, world.app, 'alice');
  await world.subscribeAndReport(running.url, alice, [world.templates.reminder], [world.templates.reminder]);

  const at = Date.now() + 1500;
  const booked = await call(running.url, 'POST', '/bookings', {
    openid: alice.openid,
    at: new Date(at).toISOString(),
    service: '剪发',
    place: '人民路店',
  });
  expect(booked.status, JSON.stringify(booked.body)).toBe(201);
  const id = booked.body.reminder.id;

  // Bad bookings are refused now, with the platform's rule, not when the reminder is due.
  const bad = await call(running.url, 'POST', '/bookings', {
    openid: alice.openid,
    at,
    service: '剪发'.repeat(11),
    place: '人民路店',
  });
  expect(bad).toEqual({ status: 400, body: { error: 'argument invalid! data.thing1.value invalid' } });
  for (const badAt of ['soon', 8.64e15 + 1, -1e300, 1e20]) {
    const res = await call(running.url, 'POST', '/bookings', {
      openid: alice.openid,
      at: badAt,
      service: 'a',
      place: 'b',
    });
    expect(res, String(badAt)).toEqual({
      status: 400,
      body: { error: '"at" must be an ISO time or milliseconds since epoch' },
    });
  }
  // A malformed escape in the path is the client's mistake, not the platform's.
  expect(await call(running.url, 'GET', '/ledger/%E0')).toEqual({
    status: 400,
    body: { error: 'malformed percent-encoding in the path' },
  });
  // Ids the app does not have are not counted, and said back.
  const forged = await call(running.url, 'POST', '/subscriptions/report', {
    openid: alice.openid,
    result: { errMsg: 'requestSubscribeMessage:ok', forged1: 'accept' },
  });
  expect(forged.body).toEqual({
    openid: alice.openid,
    counts: { shipped: 0, delivered: 0, reminder: 1 },
    ignored: ['forged1'],
  });

  await world.stop(running);
  await sleep(at - Date.now() + 300);
  expect(await world.inbox(alice)).toHaveLength(0);
  const file = JSON.parse(readFileSync(join(world.dataDir, 'reminders.json'), 'utf8'));
  expect(file.reminders).toEqual([expect.objectContaining({ id, status: 'pending', attempts: 0 })]);

  running = await world.shop();
  // Sent during start, before the shop answers anything.
  const cards = await world.inbox(alice);
  expect(cards).toHaveLength(1);
  expect(cards[0]).toMatchObject({ title: '预约到期提醒' });
  expect(cards[0].rows.map((r) => r.value)).toEqual(expect.arrayContaining(['剪发', '人民路店']));
  const state = await call(running.url, 'GET', `/bookings/${id}`);
  expect(state.body).toMatchObject({ status: 'sent', attempts: 1, msgid: cards[0].msgid.toString() });
  // The grant survived the restart and was spent once: the shop's count and Beckon's are 0.
  expect((await call(running.url, 'GET', `/ledger/${alice.openid}`)).body.counts.reminder).toBe(0);
  expect(await world.platformCount(alice, world.templates.reminder)).toBe(0);

  // A booking without a grant is taken but has no reminder.
  const ungranted = await call(running.url, 'POST', '/bookings', {
    openid: alice.openid,
    at: Date.now() + 60_000,
    service: '剪发',
    place: '人民路店',
  });
  expect(ungranted.body).toMatchObject({ booked: true, reminder: null });
});
