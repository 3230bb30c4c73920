import { afterEach, beforeEach, expect, test } from 'vitest';
import { ADMIN_TOKEN, RID_SUFFIX, type TestServer, testServer } from '../test-support/harness.js';
import { CallService } from './service.js';

let s: TestServer;
beforeEach(async () => {
  s = await testServer();
});
afterEach(() => s.close());

const settings = (appid: string, method: 'GET' | 'PUT', payload?: unknown, token = ADMIN_TOKEN) =>
  s.app.inject({
    method,
    url: `/admin/apps/${appid}/calls`,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

test('multi-device is off by default; PUT turns it on and off, and logins follow it', async () => {
  const app = await s.newApp();
  const other = await s.newApp();
  const get = await settings(app.appid, 'GET');
  expect(get.statusCode).toBe(200);
  expect(get.json()).toEqual({ appid: app.appid, multiDevice: false });

  const on = await settings(app.appid, 'PUT', { multiDevice: true });
  expect(on.statusCode).toBe(200);
  expect(on.json()).toEqual({ appid: app.appid, multiDevice: true });
  expect((await settings(app.appid, 'GET')).json()).toEqual({ appid: app.appid, multiDevice: true });
  expect((await settings(other.appid, 'GET')).json()).toEqual({ appid: other.appid, multiDevice: false });

  // What the option is for: a second login of the same user keeps the first (on) or kicks it (off).
  const phones = new CallService(s.ctx, { deliver: () => {} });
  const login = (sessionId: string) =>
    phones.login({ sessionId, appid: app.appid, sdkAppId: app.sdkAppId, userId: 'alice' });
  await login('phone');
  expect((await login('laptop')).kicked).toEqual([]);
  expect((await settings(app.appid, 'PUT', { multiDevice: false })).json().multiDevice).toBe(false);
  expect((await login('tablet')).kicked.sort()).toEqual(['laptop', 'phone']);
});

test('an unknown app is 404 91003; a bad body 400 91000; no body 44002; a wrong admin token 401 91002', async () => {
  const app = await s.newApp();
  const expectError = async (res: Awaited<ReturnType<typeof settings>>, status: number, errcode: number) => {
    expect(res.statusCode).toBe(status);
    expect(res.json().errcode).toBe(errcode);
    expect(res.json().errmsg).toMatch(RID_SUFFIX);
  };
  await expectError(await settings('wx0000000000000000', 'GET'), 404, 91003);
  await expectError(await settings('wx0000000000000000', 'PUT', { multiDevice: true }), 404, 91003);
  for (const body of [
    {},
    { multiDevice: 'on' },
    { multiDevice: 1 },
    { multiDevice: null },
    { multiDevice: true, x: 1 },
  ])
    await expectError(await settings(app.appid, 'PUT', body), 400, 91000);
  await expectError(await settings(app.appid, 'PUT'), 400, 44002);
  await expectError(await settings(app.appid, 'GET', undefined, 'wrong'), 401, 91002);
  await expectError(await settings(app.appid, 'PUT', { multiDevice: true }, 'wrong'), 401, 91002);
  // Nothing was stored by the refused requests.
  expect((await settings(app.appid, 'GET')).json().multiDevice).toBe(false);
});
