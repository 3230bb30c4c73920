import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { expectApiError } from '../test-support/client-api.js';
import { type SignedInUser, signUp, type TestServer, testServer } from '../test-support/harness.js';
import { createApp, setPages, updateApp } from './service.js';

let s: TestServer;
let alice: SignedInUser;
beforeEach(async () => {
  s = await testServer();
  alice = await signUp(s, 'alice');
});
afterEach(() => s.close());

function get(url: string, who: SignedInUser | null = alice) {
  return s.app.inject({ method: 'GET', url, headers: who ? { authorization: `Bearer ${who.token}` } : {} });
}

describe('the app catalogue', () => {
  test('GET /api/apps lists every app by name with its public facts only', async () => {
    expect((await get('/api/apps')).json()).toEqual({ apps: [] });
    const shop = await createApp(s.ctx, {
      name: 'shop',
      type: 'miniprogram',
      icon: 'https://cdn.example/shop.png',
      frontend: 'https://shop.example/mp',
    });
    await setPages(s.ctx, shop.appid, ['pages/index/index', 'pages/order/detail']);
    const game = await createApp(s.ctx, {
      name: 'Jump',
      type: 'minigame',
      frontend: 'https://game.example/',
    });
    const bare = await createApp(s.ctx, { name: 'Zoo', type: 'miniprogram' });
    const twelve = await createApp(s.ctx, { name: 'App 12', type: 'miniprogram' });
    const two = await createApp(s.ctx, { name: 'App 2', type: 'miniprogram' });

    const res = await get('/api/apps');
    expect(res.statusCode).toBe(200);
    const listing = (app: typeof bare, extra: object = {}) => ({
      appid: app.appid,
      name: app.name,
      type: app.type,
      icon: null,
      frontend: null,
      entryPage: '',
      pages: [],
      ...extra,
    });
    expect(res.json()).toEqual({
      apps: [
        listing(two),
        listing(twelve),
        listing(game, { frontend: 'https://game.example/' }),
        listing(shop, {
          icon: 'https://cdn.example/shop.png',
          frontend: 'https://shop.example/mp/',
          entryPage: 'pages/index/index',
          pages: ['pages/index/index', 'pages/order/detail'],
        }),
        listing(bare),
      ],
    });
    // No secret, owner, limits or calling keys.
    expect(JSON.stringify(res.json())).not.toContain(shop.secret);
    expect(JSON.stringify(res.json())).not.toContain(shop.rtcSecretKey);
  });

  test('GET /api/apps/:appid answers one listing, following edits; an unknown app is 404 91003', async () => {
    const app = await createApp(s.ctx, { name: 'Shop', type: 'miniprogram' });
    expect((await get(`/api/apps/${app.appid}`)).json()).toMatchObject({ name: 'Shop', frontend: null });
    await updateApp(s.ctx, app.appid, { name: 'Corner Shop', frontend: 'http://127.0.0.1:9/' });
    await setPages(s.ctx, app.appid, ['pages/home/home']);
    expect((await get(`/api/apps/${app.appid}`)).json()).toEqual({
      appid: app.appid,
      name: 'Corner Shop',
      type: 'miniprogram',
      icon: null,
      frontend: 'http://127.0.0.1:9/',
      entryPage: 'pages/home/home',
      pages: ['pages/home/home'],
    });
    expect(expectApiError(await get('/api/apps/wx0000000000000000'), 404, 91003)).toMatch(
      /^app not found: wx0000000000000000 rid: /,
    );
    expectApiError(await get(`/api/apps/${'x'.repeat(65)}`), 400, 91000);
  });

  test('both need a session (92004)', async () => {
    const app = await createApp(s.ctx, { name: 'Shop', type: 'miniprogram' });
    expectApiError(await get('/api/apps', null), 401, 92004);
    expectApiError(await get(`/api/apps/${app.appid}`, null), 401, 92004);
  });

  test('the routes under /api/apps/:appid/ still answer beside it', async () => {
    const app = await createApp(s.ctx, { name: 'Shop', type: 'miniprogram' });
    const auth = { authorization: `Bearer ${alice.token}` };
    const login = await s.app.inject({ method: 'POST', url: `/api/apps/${app.appid}/login`, headers: auth });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ errMsg: 'login:ok' });
    const settings = await get(`/api/apps/${app.appid}/settings`);
    expect(settings.statusCode).toBe(200);
    expect(settings.json()).toMatchObject({ errMsg: 'getSetting:ok' });
  });
});
