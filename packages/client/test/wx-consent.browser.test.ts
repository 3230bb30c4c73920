/**
 * wx.login and wx.requestSubscribeMessage through the whole chain: a mini program page on its own origin
 * (Beckon's /sdk/wx.js), the shell in the test host page, the real server.
 */
import { expect, test } from 'vitest';
import { addLibraryTemplate } from '../../server/src/test-support/harness.js';
import { Host, newApp, newUser, useWxWorld } from './support/wx-world.js';

const w = useWxWorld();

test('wx.login gives a code that jscode2session accepts', async () => {
  const app = await newApp(w);
  const user = await newUser(w);
  const host = await Host.open(w, user, [app]);
  await host.open(app);
  const { ok, res } = await host.call(app, { api: 'login' });
  expect(ok).toBe(true);
  expect(res.errMsg).toBe('login:ok');
  const session = await w.beckon.server.app.inject({
    method: 'GET',
    url: '/sns/jscode2session',
    query: { appid: app.appid, secret: app.secret, js_code: res.code, grant_type: 'authorization_code' },
  });
  expect(session.json()).toMatchObject({ openid: expect.any(String), session_key: expect.any(String) });
  await host.screenshot('wx-login');
  await host.close();
});

test('the dialog: the app name, each title and its keyword names; accepting records a grant', async () => {
  const app = await newApp(w);
  const shipped = await addLibraryTemplate(w.beckon.server, app, 1101, [1, 2, 3]);
  const user = await newUser(w);
  const host = await Host.open(w, user, [app]);
  await host.open(app);
  const frame = await host.frame(app);
  await frame.evaluate(
    (id) => window.mini.prepare({ api: 'requestSubscribeMessage', args: { tmplIds: [id] } }),
    shipped,
  );
  await host.frameLocator(app).locator('#act').click();
  await host.dialog.waitFor();
  await expect(host.dialog.textContent()).resolves.toContain('Tiny Shop');
  await host.screenshot('wx-subscribe-dialog');
  await host.dialog.getByRole('button', { name: 'Allow' }).click();
  const { ok, res } = await host.result(app, 0);
  expect(ok).toBe(true);
  expect(res).toEqual({ errMsg: 'requestSubscribeMessage:ok', [shipped]: 'accept' });
  await host.close();
});
