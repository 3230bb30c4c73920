import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from 'vitest';
import { ADMIN_TOKEN, signUp } from '../../../packages/server/src/test-support/harness.js';
import { ITEMS } from '../src/catalogue.js';
import { call, useShopWorld, waitFor } from './support/world.js';

/*
 * What the shop's pages call, against a real Beckon: sign-in with a wx.login code, the catalogue, orders
 * that ship and arrive on their own, and the two cards each sent only to a user who allowed it.
 */

const world = useShopWorld();

/** A platform user who opened the shop: `wx.login`'s code, exchanged by the shop's `/login`. */
async function shopper(base, username) {
  const { token, userId } = await signUp(world.s, username);
  const code = async () => {
    const res = await world.s.app.inject({
      method: 'POST',
      url: `/api/apps/${world.app.appid}/login`,
      headers: { authorization: `Bearer ${token}` },
    });
    return res.json().code;
  };
  const first = await code();
  const login = await call(base, 'POST', '/login', { code: first });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return { token, userId, openid: login.body.openid, usedCode: first, code };
}

const orderOf = async (base, user, id) =>
  (await call(base, 'GET', `/orders/${id}?openid=${encodeURIComponent(user.openid)}`)).body.order;

test('sign in, order, and the "shipped" then "delivered" cards, each sent only when allowed, opening the order', async () => {
  // Declared pages: a send's page must be one of them (41030 otherwise), as the demo declares them.
  const pages = await world.s.app.inject({
    method: 'PUT',
    url: `/admin/apps/${world.app.appid}/pages`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: { pages: ['pages/index/index', 'pages/order/order', 'pages/order/detail'] },
  });
  expect(pages.statusCode, pages.body).toBe(200);
  const running = await world.shop({ shipAfterMs: 150, deliverAfterMs: 150 });
  const alice = await shopper(running.url, 'alice');
  const bob = await shopper(running.url, 'bob');
  expect(alice.openid).toMatch(/^o/);
  expect(alice.openid).not.toBe(bob.openid);

  const catalogue = await call(running.url, 'GET', '/catalogue');
  expect(catalogue.body).toEqual({
    items: ITEMS,
    templates: { shipped: world.templates.shipped, delivered: world.templates.delivered },
    shipAfterMs: 150,
    deliverAfterMs: 150,
  });

  // alice allows both cards in the dialog; the page reports the answer before it orders.
  const { shipped, delivered } = world.templates;
  expect(
    await world.subscribeAndReport(running.url, alice, [shipped, delivered], [shipped, delivered]),
  ).toEqual({ shipped: 1, delivered: 1, reminder: 0 });
  const placed = await call(running.url, 'POST', '/orders', { openid: alice.openid, itemId: 'earbuds' });
  expect(placed.status).toBe(201);
  const order = placed.body.order;
  expect(order).toMatchObject({
    id: expect.stringMatching(/^DD\d{12}$/),
    openid: alice.openid,
    itemId: 'earbuds',
    item: '无线蓝牙耳机',
    price: 19_900,
    status: 'paid',
    carrier: '顺丰速运',
    trackingNumber: expect.stringMatching(/^SF\d{13}$/),
    cards: {},
  });
  expect(order.shipAt - order.placedAt).toBe(150);

  const shippedOrder = await waitFor('the order to ship', async () => {
    const o = await orderOf(running.url, alice, order.id);
    return o.cards.shipped && o;
  });
  expect(shippedOrder.status).toBe('shipped');
  expect(shippedOrder.cards.shipped).toEqual({ sent: true, msgid: expect.stringMatching(/^\d+$/) });
  let cards = await world.inbox(alice);
  expect(cards).toHaveLength(1);
  expect(cards[0]).toMatchObject({
    title: '订单发货提醒',
    msgid: BigInt(shippedOrder.cards.shipped.msgid),
    page: `pages/order/detail?id=${order.id}`,
  });
  expect(cards[0].rows.map((r) => r.value)).toEqual([
    order.id,
    '无线蓝牙耳机',
    '顺丰速运',
    order.trackingNumber,
    expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/),
  ]);

  const deliveredOrder = await waitFor('the order to arrive', async () => {
    const o = await orderOf(running.url, alice, order.id);
    return o.cards.delivered && o;
  });
  expect(deliveredOrder.status).toBe('delivered');
  expect(deliveredOrder.deliverAt - deliveredOrder.shippedAt).toBe(150);
  cards = await world.inbox(alice);
  expect(cards).toHaveLength(2);
  expect(cards[0]).toMatchObject({ title: '签收成功通知', page: `pages/order/detail?id=${order.id}` });
  expect(cards[0].rows.map((r) => r.value)).toEqual([
    order.trackingNumber,
    expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/),
    '小区快递柜',
    '无线蓝牙耳机',
  ]);
  // Both grants spent, here and on the platform.
  expect(await world.platformCount(alice, shipped)).toBe(0);
  expect(await world.platformCount(alice, delivered)).toBe(0);

  // bob allowed nothing; alice's grants are spent: their orders still ship and arrive, with no card.
  const bobs = (await call(running.url, 'POST', '/orders', { openid: bob.openid, itemId: 'tote' })).body
    .order;
  const again = (await call(running.url, 'POST', '/orders', { openid: alice.openid, itemId: 'bottle' })).body
    .order;
  for (const [user, o] of [
    [bob, bobs],
    [alice, again],
  ]) {
    const done = await waitFor('the order to arrive', async () => {
      const now = await orderOf(running.url, user, o.id);
      return now.cards.delivered && now;
    });
    expect(done.cards).toEqual({
      shipped: { sent: false, reason: 'the user has not granted it' },
      delivered: { sent: false, reason: 'the user has not granted it' },
    });
  }
  expect(await world.inbox(bob)).toHaveLength(0);
  expect(await world.inbox(alice)).toHaveLength(2);

  // A user sees their own orders, newest first, and nobody else's.
  const mine = await call(running.url, 'GET', `/orders?openid=${encodeURIComponent(alice.openid)}`);
  expect(mine.body.orders.map((o) => o.id)).toEqual([again.id, order.id]);
  expect(
    await call(running.url, 'GET', `/orders/${order.id}?openid=${encodeURIComponent(bob.openid)}`),
  ).toEqual({
    status: 404,
    body: { error: 'no such order' },
  });
});

test('bad input is a clear 400 and places nothing; a used or unknown code is refused', async () => {
  const running = await world.shop();
  const alice = await shopper(running.url, 'alice');
  const cases = [
    ['POST', '/login', { code: alice.usedCode }, 'code been used'],
    ['POST', '/login', { code: 'not-a-code' }, 'invalid code'],
    ['POST', '/login', {}, '"code" must be a non-empty string'],
    ['POST', '/orders', { openid: alice.openid, itemId: 'nope' }, '"itemId" is not an item of the catalogue'],
    ['POST', '/orders', { itemId: 'earbuds' }, '"openid" must be a non-empty string'],
    ['GET', '/orders', undefined, '"openid" must be given in the query'],
    ['GET', '/orders/DD1?', undefined, '"openid" must be given in the query'],
  ];
  for (const [method, path, body, error] of cases) {
    const res = await call(running.url, method, path, body);
    expect(res.status, `${method} ${path}`).toBe(400);
    expect(res.body.error, `${method} ${path}`).toContain(error);
  }
  expect((await call(running.url, 'GET', `/orders?openid=${alice.openid}`)).body).toEqual({ orders: [] });
  expect((await call(running.url, 'GET', `/orders/DD1?openid=${alice.openid}`)).status).toBe(404);
});

test('an order on its way when the shop stops ships when it starts again; the orders file is intact', async () => {
  let running = await world.shop({ shipAfterMs: 400, deliverAfterMs: 100 });
  const alice = await shopper(running.url, 'alice');
  await world.subscribeAndReport(running.url, alice, [world.templates.shipped], [world.templates.shipped]);
  const { order } = (await call(running.url, 'POST', '/orders', { openid: alice.openid, itemId: 'keyboard' }))
    .body;
  await world.stop(running);
  await sleep(order.shipAt - Date.now() + 200);
  expect(await world.inbox(alice)).toHaveLength(0);
  const file = JSON.parse(readFileSync(join(world.dataDir, 'orders.json'), 'utf8'));
  expect(file.orders).toEqual([expect.objectContaining({ id: order.id, status: 'paid', cards: {} })]);

  running = await world.shop({ shipAfterMs: 400, deliverAfterMs: 100 });
  const done = await waitFor('the order to arrive', async () => {
    const o = await orderOf(running.url, alice, order.id);
    return o.status === 'delivered' && o.cards.delivered && o;
  });
  expect(done.cards.shipped).toMatchObject({ sent: true });
  expect(done.cards.delivered).toEqual({ sent: false, reason: 'the user has not granted it' });
  const cards = await world.inbox(alice);
  expect(cards.map((c) => c.title)).toEqual(['订单发货提醒']);
  // The same order number is never given twice, across restarts.
  const next = (await call(running.url, 'POST', '/orders', { openid: alice.openid, itemId: 'tote' })).body
    .order;
  expect(next.id).not.toBe(order.id);
});
