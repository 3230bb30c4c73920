import { join } from 'node:path';
import { createClient, createLedgerMirror, createPushReceiver, WeChatError } from '@beckon/sdk';
import { formatTime, reminderData, shippedData } from './cards.js';
import { frontEnd } from './front-end.js';
import { HttpError, readJsonBody, requireString, sendJson, serveJson } from './http.js';
import { openLedgerStore } from './ledger-store.js';
import { orderRoutes } from './order-routes.js';
import { ReminderSchedule } from './reminders.js';
import { applyReport } from './subscription-report.js';

/** The largest time a `Date` holds, in ms since epoch (either side of it). */
const MAX_TIME_MS = 8.64e15;

/** A percent-encoded path segment; 400 for a malformed one (`%E0`). */
function decodePathSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'malformed percent-encoding in the path');
  }
}

/**
 * Starts the shop: its pages (`web/`, see front-end.js) and its backend. Routes:
 * - `GET /catalogue`, `POST /login {code}`, `POST /orders {openid, itemId}`, `GET /orders?openid=`,
 *   `GET /orders/:id?openid=`: what the pages call (order-routes.js)
 * - `POST /orders/:id/paid {openid, item?, carrier?, trackingNumber?}`: the order shipped → notify if granted
 * - `POST /bookings {openid, at, service, place, tip?}`: schedule the reminder for `at` (ISO time or ms)
 * - `GET /bookings/:id`: the reminder's state
 * - `POST /subscriptions/report {openid, result}` / `{openid, refused: [ids] | 'all'}`: the mini program's reports
 * - `GET /ledger/:openid`: the mirror's counts for the shop's two templates
 * - `GET|POST /push`: message push from the platform (URL check and events)
 *
 * @param {import('./config.js').ShopConfig & { timeZone?: string }} config
 */
export async function startShop(config, { log = console } = {}) {
  // The machine's own zone: the card's times read as the clock the person sees (the sample's choice).
  const timeZone = config.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const client = createClient({
    appId: config.appId,
    appSecret: config.appSecret,
    baseUrl: config.beckonUrl,
  });
  const ledger = await openLedgerStore({
    dataDir: config.dataDir,
    redisUrl: config.redisUrl,
    redisPrefix: `shop:${config.appId}:ledger:`,
  });
  const mirror = createLedgerMirror({ client, store: ledger.store });
  const receiver = config.pushToken
    ? createPushReceiver({
        appId: config.appId,
        token: config.pushToken,
        ...(config.pushAesKey ? { encodingAESKey: config.pushAesKey } : {}),
      })
    : undefined;
  const pushHandler = receiver?.handler(async (event) => {
    const outcome = await mirror.applyEvent(event);
    log.info?.(`push: ${event.Event} ${outcome}`);
  });

  const reminders = new ReminderSchedule({
    path: join(config.dataDir, 'reminders.json'),
    pollMs: config.reminderPollMs,
    ...(config.reminderRetryMs ? { retryBaseMs: config.reminderRetryMs } : {}),
    log,
    send: (r) =>
      mirror.sendWithQuota({ touser: r.openid, template_id: config.reminderTemplateId, data: r.data }),
  });
  await reminders.load();

  const shop = await orderRoutes({ config, timeZone, client, mirror, log });
  const serveFrontEnd = frontEnd({ beckonUrl: config.beckonUrl });

  const counts = async (openid) => ({
    shipped: await mirror.count(openid, config.shippedTemplateId),
    delivered: await mirror.count(openid, config.deliveredTemplateId),
    reminder: await mirror.count(openid, config.reminderTemplateId),
  });

  async function orderPaid(orderId, body) {
    const openid = requireString(body, 'openid');
    const data = shippedData({
      orderId,
      item: body.item ?? '商品',
      carrier: body.carrier ?? '顺丰速运',
      trackingNumber: body.trackingNumber ?? `SF${orderId}`,
      at: formatTime(Date.now(), timeZone),
    });
    try {
      const msgid = await mirror.sendWithQuota({
        touser: openid,
        template_id: config.shippedTemplateId,
        data,
        page: `pages/order/detail?id=${orderId}`,
      });
      return [200, { orderId, notified: true, msgid: msgid.toString() }];
    } catch (err) {
      if (err instanceof WeChatError && err.errcode === 43101)
        return [
          200,
          { orderId, notified: false, reason: 'the user has not granted the "order shipped" notification' },
        ];
      if (err instanceof WeChatError && err.errcode === 47003) throw new HttpError(400, err.errmsg);
      throw err;
    }
  }

  async function book(body) {
    const openid = requireString(body, 'openid');
    const at = typeof body.at === 'number' ? body.at : Date.parse(requireString(body, 'at'));
    // Date's range is ±8.64e15 ms; beyond it no time can be formatted.
    if (!Number.isFinite(at) || Math.abs(at) > MAX_TIME_MS)
      throw new HttpError(400, '"at" must be an ISO time or milliseconds since epoch');
    const data = reminderData({
      service: requireString(body, 'service'),
      at: formatTime(at, timeZone),
      place: requireString(body, 'place'),
      tip: typeof body.tip === 'string' && body.tip ? body.tip : '请准时到店',
    });
    // Checked now with the platform's rules, not when the reminder is due.
    try {
      await mirror.checkData(config.reminderTemplateId, data);
    } catch (err) {
      if (err instanceof WeChatError) throw new HttpError(400, err.errmsg);
      throw err;
    }
    const granted = (await mirror.count(openid, config.reminderTemplateId)) > 0;
    if (!granted)
      return [200, { booked: true, reminder: null, reason: 'the user has not granted the reminder' }];
    const reminder = await reminders.add({ openid, at, data });
    return [201, { booked: true, reminder: { id: reminder.id, at: new Date(at).toISOString() } }];
  }

  async function report(body) {
    const openid = requireString(body, 'openid');
    const ignored = await applyReport(mirror, openid, body);
    // Ids that are not the app's templates are not counted; said back, so a stale client shows up.
    if (ignored.length > 0) return [200, { openid, counts: await counts(openid), ignored }];
    return [200, { openid, counts: await counts(openid) }];
  }

  /** [method, path pattern, handler(match, req, url)]: the first match answers. */
  const routes = [
    ...shop.routes,
    [
      'POST',
      /^\/orders\/([A-Za-z0-9_-]{1,32})\/paid$/,
      async (m, req) => orderPaid(m[1], await readJsonBody(req)),
    ],
    ['POST', /^\/bookings$/, async (_m, req) => book(await readJsonBody(req))],
    [
      'GET',
      /^\/bookings\/([0-9a-f-]{36})$/,
      async (m) => {
        const r = reminders.get(m[1]);
        if (!r) throw new HttpError(404, 'no such booking');
        return [200, r];
      },
    ],
    ['POST', /^\/subscriptions\/report$/, async (_m, req) => report(await readJsonBody(req))],
    [
      'GET',
      /^\/ledger\/([^/]{1,128})$/,
      async (m) => {
        const openid = decodePathSegment(m[1]);
        return [200, { openid, counts: await counts(openid) }];
      },
    ],
  ];

  async function route(req, res) {
    const url = new URL(req.url ?? '/', 'http://shop');
    const { pathname } = url;
    if (pathname === '/push') {
      if (!pushHandler) throw new HttpError(404, 'message push is not configured (PUSH_TOKEN)');
      return pushHandler(req, res);
    }
    for (const [method, pattern, handle] of routes) {
      const m = req.method === method ? pattern.exec(pathname) : null;
      if (m) return sendJson(res, ...(await handle(m, req, url)));
    }
    if (await serveFrontEnd(req.method ?? 'GET', pathname, res)) return;
    throw new HttpError(404, 'not found');
  }

  const server = await serveJson({ host: config.host, port: config.port, name: 'shop', log }, route);
  await reminders.start();

  return {
    url: server.url,
    mirror,
    reminders,
    orders: shop.orders,
    async close() {
      await reminders.stop();
      await shop.orders.stop();
      await server.close();
      await ledger.flush();
      await ledger.store.close();
    },
  };
}
