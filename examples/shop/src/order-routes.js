import { join } from 'node:path';
import { WeChatError } from '@beckon/sdk';
import { deliveredData, formatTime, shippedData } from './cards.js';
import { findItem, ITEMS } from './catalogue.js';
import { HttpError, readJsonBody, requireString } from './http.js';
import { OrderBook } from './orders.js';

/** Where a delivered parcel is left (签收地点, a `thing`). */
const DELIVERY_PLACE = '小区快递柜';

/**
 * What the shop's pages call: the catalogue, sign-in (a `wx.login` code → the user's openid, through
 * `code2Session`), and orders, which ship and arrive on their own and send the "order shipped" and
 * "delivered" cards when the user granted them.
 *
 * A real backend would keep a session of its own after `code2Session` and never take an openid from the
 * page; this example takes it, as its other routes do, to stay short.
 *
 * @param {{ config: import('./config.js').ShopConfig, timeZone: string, client: import('@beckon/sdk').WeChatClient,
 *           mirror: import('@beckon/sdk').LedgerMirror, log: Pick<Console, 'warn'> }} shop
 */
export async function orderRoutes({ config, timeZone, client, mirror, log }) {
  const templateFor = (step) => (step === 'shipped' ? config.shippedTemplateId : config.deliveredTemplateId);
  const dataFor = (order, step) =>
    step === 'shipped'
      ? shippedData({
          orderId: order.id,
          item: order.item,
          carrier: order.carrier,
          trackingNumber: order.trackingNumber,
          at: formatTime(order.shippedAt, timeZone),
        })
      : deliveredData({
          trackingNumber: order.trackingNumber,
          at: formatTime(order.deliveredAt, timeZone),
          place: DELIVERY_PLACE,
          item: order.item,
        });

  /** Sends the step's card through the mirror: only with a grant left, and spending it only when sent. */
  async function notify(order, step) {
    try {
      const msgid = await mirror.sendWithQuota({
        touser: order.openid,
        template_id: templateFor(step),
        data: dataFor(order, step),
        page: `pages/order/detail?id=${order.id}`,
      });
      return { sent: true, msgid: msgid.toString() };
    } catch (err) {
      if (err instanceof WeChatError && err.errcode === 43101)
        return { sent: false, reason: 'the user has not granted it' };
      const reason =
        err instanceof WeChatError ? `${err.errcode} ${err.errmsg}` : String(err?.message ?? err);
      log.warn(`order ${order.id}: the ${step} card failed: ${reason}`);
      return { sent: false, reason };
    }
  }

  const orders = new OrderBook({
    path: join(config.dataDir, 'orders.json'),
    shipAfterMs: config.shipAfterMs ?? 3000,
    deliverAfterMs: config.deliverAfterMs ?? 10_000,
    notify,
    log,
  });
  await orders.load();

  /** The order, if it is this user's: another user's order is as unknown as a missing one. */
  const ownOrder = (id, openid) => {
    const order = orders.get(id);
    if (!order || order.openid !== openid) throw new HttpError(404, 'no such order');
    return order;
  };
  const openidParam = (url) => {
    const openid = url.searchParams.get('openid');
    if (!openid || openid.length > 128) throw new HttpError(400, '"openid" must be given in the query');
    return openid;
  };

  async function login(body) {
    const code = requireString(body, 'code', 128);
    try {
      const { openid } = await client.auth.code2Session(code);
      return [200, { openid }];
    } catch (err) {
      // A bad or used code is the page's mistake (40029, 40163), not the platform's failure.
      if (err instanceof WeChatError && [40029, 40163, 45011].includes(err.errcode))
        throw new HttpError(400, err.errmsg);
      throw err;
    }
  }

  async function place(body) {
    const openid = requireString(body, 'openid', 128);
    const item = findItem(requireString(body, 'itemId', 64));
    if (!item) throw new HttpError(400, '"itemId" is not an item of the catalogue');
    return [201, { order: await orders.place({ openid, item }) }];
  }

  /** @type {[string, RegExp, (m: RegExpExecArray, req: import('node:http').IncomingMessage, url: URL) => Promise<[number, unknown]>][]} */
  const routes = [
    [
      'GET',
      /^\/catalogue$/,
      async () => [
        200,
        {
          items: ITEMS,
          templates: { shipped: config.shippedTemplateId, delivered: config.deliveredTemplateId },
          shipAfterMs: orders.shipAfterMs,
          deliverAfterMs: orders.deliverAfterMs,
        },
      ],
    ],
    ['POST', /^\/login$/, async (_m, req) => login(await readJsonBody(req))],
    ['POST', /^\/orders$/, async (_m, req) => place(await readJsonBody(req))],
    ['GET', /^\/orders$/, async (_m, _req, url) => [200, { orders: orders.list(openidParam(url)) }]],
    [
      'GET',
      /^\/orders\/([A-Za-z0-9_-]{1,32})$/,
      async (m, _req, url) => [200, { order: ownOrder(m[1], openidParam(url)) }],
    ],
  ];
  return { routes, orders };
}
