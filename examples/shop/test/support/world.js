import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { addLibraryTemplate, testServer } from '../../../../packages/server/src/test-support/harness.js';
import { SHOP_TEMPLATES } from '../../src/cards.js';
import { startShop } from '../../src/shop.js';
import { answerSubscribeDialog, platformGrants } from './platform.js';

export { waitFor } from './platform.js';

/*
 * The shop as it runs next to `npm start`: a real Beckon server listening on 127.0.0.1, an app with the
 * shop's three templates, and the shop's HTTP server on another port (a fresh data dir per test). Users
 * subscribe through Beckon's client API and report the result to the shop, as the shop's pages do.
 */

export const PUSH_TOKEN = 'shopPushToken1';
export const PUSH_AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

/** Registers the hooks; the returned object's fields are set before each test. */
export function useShopWorld() {
  const world = {
    /** @type {Awaited<ReturnType<typeof testServer>>} */ s: undefined,
    beckonUrl: '',
    app: undefined,
    /** private template ids: `shipped`, `delivered`, `reminder` */
    templates: {},
    dataDir: '',
    shops: [],
    async shop(options = {}) {
      const started = await startShop(
        {
          beckonUrl: world.beckonUrl,
          appId: world.app.appid,
          appSecret: world.app.secret,
          pushToken: options.push ? PUSH_TOKEN : undefined,
          pushAesKey: options.push ? PUSH_AES_KEY : undefined,
          host: '127.0.0.1',
          port: 0,
          dataDir: world.dataDir,
          shippedTemplateId: world.templates.shipped,
          deliveredTemplateId: world.templates.delivered,
          reminderTemplateId: world.templates.reminder,
          redisUrl: undefined,
          reminderPollMs: 100,
          shipAfterMs: options.shipAfterMs ?? 3000,
          deliverAfterMs: options.deliverAfterMs ?? 10_000,
        },
        { log: { info() {}, warn() {} } },
      );
      world.shops.push(started);
      return started;
    },
    async stop(started) {
      world.shops.splice(world.shops.indexOf(started), 1);
      await started.close();
    },
    /** The user answers the subscribe dialog in Beckon's shell; the page reports the result to the shop. */
    async subscribeAndReport(base, user, tmplIds, accepted) {
      const result = await answerSubscribeDialog(world.s, world.app.appid, user, tmplIds, accepted);
      const report = await call(base, 'POST', '/subscriptions/report', { openid: user.openid, result });
      expect(report.status).toBe(200);
      return report.body.counts;
    },
    inbox: (user) => world.s.ctx.store.messages.inbox(user.userId, 100),
    platformCount: (user, tmpl) => platformGrants(world.s, world.app.appid, user, tmpl),
  };

  beforeEach(async () => {
    world.s = await testServer();
    await world.s.app.listen({ host: '127.0.0.1', port: 0 });
    world.beckonUrl = `http://127.0.0.1:${world.s.app.server.address().port}`;
    world.app = await world.s.newApp();
    for (const [name, { tid, kidList }] of Object.entries(SHOP_TEMPLATES))
      world.templates[name] = await addLibraryTemplate(world.s, world.app, tid, kidList);
    world.dataDir = mkdtempSync(join(tmpdir(), 'beckon-shop-'));
  });
  afterEach(async () => {
    for (const shop of world.shops.splice(0)) await shop.close();
    await world.s.close();
    rmSync(world.dataDir, { recursive: true, force: true });
  });
  return world;
}

/** One JSON call to the shop: its status and parsed body. */
export async function call(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}
