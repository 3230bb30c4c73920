/**
 * wx.login, wx.requestSubscribeMessage, wx.getSetting and wx.openSetting through the whole chain: a mini
 * program's page on its own origin (Beckon's /sdk/wx.js), the shell in the test host page (its dialogs
 * plain buttons), the real server. Every fail code a page can reach, in WeChat's shape.
 */
import { type ErrorDef, Errors, WX_FAIL } from '@beckon/protocol';
import { afterEach, describe, expect, test } from 'vitest';
import { setSubscribeBanned } from '../../server/src/apps/service.js';
import { addLibraryTemplate } from '../../server/src/test-support/harness.js';
import { Host, type MiniApp, newApp, newUser, type Step, useWxWorld } from './support/wx-world.js';

const w = useWxWorld();

/** tid 1101 订单发货提醒 and 1102 订单支付成功通知 (one-time), 1402 就诊提醒 (long-term). */
const SHIPPED = 1101;
const PAID = 1102;
const LONG_TERM = 1402;

const template = (app: MiniApp, tid: number, kids = [1, 2, 3]) =>
  addLibraryTemplate(w.beckon.server, app, tid, kids);
const subscribe = (tmplIds: unknown, more: Partial<Step> = {}): Step => ({
  api: 'requestSubscribeMessage',
  args: { tmplIds },
  ...more,
});
const failed = (def: ErrorDef) => ({
  errCode: def.code,
  errMsg: `requestSubscribeMessage:fail ${def.message}`,
});
const tapFailure = { errMsg: `requestSubscribeMessage:fail ${WX_FAIL.TAP_GESTURE}` };

async function remaining(app: MiniApp, host: Host, templateId: string): Promise<number> {
  const [grant] = await w.beckon.server.ctx.store.consent.grants(app.appid, host.user.userId, [templateId]);
  return grant?.remaining ?? 0;
}

let host: Host;
afterEach(() => host?.close());

const tapWith = (app: MiniApp, step: Step) => host.tapWith(app, step);

/** A user, the app opened in their host page by a tap on its icon. */
async function opened(app: MiniApp): Promise<Host> {
  host = await Host.open(w, await newUser(w), [app]);
  await host.open(app);
  return host;
}

test('wx.login gives a code that jscode2session accepts', async () => {
  const app = await newApp(w);
  await opened(app);
  const { ok, res } = await host.call(app, { api: 'login' });
  expect(ok).toBe(true);
  expect(res).toEqual({ errMsg: 'login:ok', code: expect.any(String) });
  const session = await w.beckon.server.app.inject({
    method: 'GET',
    url: '/sns/jscode2session',
    query: { appid: app.appid, secret: app.secret, js_code: res.code, grant_type: 'authorization_code' },
  });
  expect(session.json()).toMatchObject({ openid: expect.any(String), session_key: expect.any(String) });
});

describe('the tap rule', () => {
  test('a call as the page loads, just after the tap on the shell that opened it, fails with the tap message', async () => {
    const app = await newApp(w, { auto: subscribe(['any']) });
    await template(app, SHIPPED);
    await opened(app);
    const { ok, res } = await host.result(app, 0);
    expect(ok).toBe(false);
    expect(res).toEqual(tapFailure);
    expect(await host.dialog.count()).toBe(0);
    expect((await host.requests()).length).toBe(0);
  });

  test('a call from a timer, once the tap in the frame is over 5 s old, fails with the tap message', async () => {
    const app = await newApp(w);
    const id = await template(app, SHIPPED);
    await opened(app);
    const { ok, res } = await host.call(app, subscribe([id], { delay: 6_000 }));
    expect(ok).toBe(false);
    expect(res).toEqual(tapFailure);
    expect(await host.dialog.count()).toBe(0);
  });

  test('a tap on the shell that leaves the focus in the frame does not count for the page', async () => {
    const app = await newApp(w);
    const id = await template(app, SHIPPED);
    await opened(app);
    // The frame took the focus in a tap that is over 5 s old when the user taps the shell's badge (which
    // keeps the focus where it is): the shell has the activation, the frame the focus, from before it.
    await tapWith(app, subscribe([id], { delay: 7_000 }));
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await host.page.click('#keeps-focus');
    expect(await host.page.evaluate(() => document.activeElement?.tagName)).toBe('IFRAME');
    const { ok, res } = await host.result(app, 0);
    expect(ok).toBe(false);
    expect(res).toEqual(tapFailure);
  });

  test('one tap raises one request: a second call in the first one answer is refused', async () => {
    const app = await newApp(w);
    const id = await template(app, SHIPPED);
    await opened(app);
    // Kept choice: the first call is answered without a dialog, within the same tap.
    await tapWith(app, subscribe([id]));
    await host.dialog.locator('#keep-choice').check();
    await host.dialog.getByRole('button', { name: 'Allow' }).click();
    await host.result(app, 0);
    const first = await host.call(app, subscribe([id], { andThen: subscribe([id]) }));
    expect(first.res[id]).toBe('accept');
    const second = await host.result(app, 2);
    expect(second).toMatchObject({ ok: false, res: tapFailure });
    expect(await remaining(app, host, id)).toBe(2);
  });
});

describe('the dialog and its answers', () => {
  test('it shows the app name, each title and its keyword names, with a switch per template', async () => {
    const app = await newApp(w);
    const shipped = await template(app, SHIPPED, [1, 2, 3]);
    const paid = await template(app, PAID, [1, 3]);
    await opened(app);
    await tapWith(app, subscribe([shipped, paid]));
    await host.dialog.waitFor();
    const text = await host.dialog.textContent();
    for (const words of [
      'Tiny Shop',
      '订单发货提醒',
      '订单号',
      '商品名称',
      '快递公司',
      '订单支付成功通知',
      '支付金额',
    ])
      expect(text).toContain(words);
    expect(await host.dialog.locator('input[data-template]').count()).toBe(2);
    const request = (await host.requests())[0]!.request;
    expect(request.app.name).toBe('Tiny Shop');
    expect(request.templates.map((t: { title: string }) => t.title)).toEqual([
      '订单发货提醒',
      '订单支付成功通知',
    ]);
    await host.screenshot('wx-dialog-two-templates');
    // One switched off: accepted and rejected, nothing kept.
    await host.dialog.locator(`input[data-template="${paid}"]`).uncheck();
    await host.dialog.getByRole('button', { name: 'Allow' }).click();
    const { res } = await host.result(app, 0);
    expect(res).toEqual({ errMsg: 'requestSubscribeMessage:ok', [shipped]: 'accept', [paid]: 'reject' });
    expect(await remaining(app, host, shipped)).toBe(1);
    expect(await remaining(app, host, paid)).toBe(0);
  });

  test('accept without keeping the choice: one grant, and the next request asks again', async () => {
    const app = await newApp(w);
    const id = await template(app, SHIPPED);
    await opened(app);
    for (let i = 0; i < 2; i++) {
      await tapWith(app, subscribe([id], { style: 'callback' }));
      await host.dialog.waitFor();
      await host.dialog.getByRole('button', { name: 'Allow' }).click();
      expect((await host.result(app, i)).res).toEqual({
        errMsg: 'requestSubscribeMessage:ok',
        [id]: 'accept',
      });
    }
    expect(await remaining(app, host, id)).toBe(2);
    const settings = await host.call(app, { api: 'getSetting', args: { withSubscriptions: true } });
    expect(settings.res).toEqual({
      errMsg: 'getSetting:ok',
      authSetting: {},
      subscriptionsSetting: { mainSwitch: true },
    });
  });

  test('accept keeping the choice: later requests are answered silently and still add a grant', async () => {
    const app = await newApp(w);
    const id = await template(app, SHIPPED);
    await opened(app);
    await tapWith(app, subscribe([id]));
    await host.dialog.locator('#keep-choice').check();
    await host.screenshot('wx-dialog-keep-choice');
    await host.dialog.getByRole('button', { name: 'Allow' }).click();
    expect((await host.result(app, 0)).res).toEqual({ errMsg: 'requestSubscribeMessage:ok', [id]: 'accept' });

    const silent = await host.call(app, subscribe([id]));
    expect(silent.res).toEqual({ errMsg: 'requestSubscribeMessage:ok', [id]: 'accept' });
    expect((await host.requests()).length).toBe(1);
    expect(await host.dialog.count()).toBe(0);
    await host.screenshot('wx-silent-repeat');
    expect(await remaining(app, host, id)).toBe(2);

    const settings = await host.call(app, { api: 'getSetting', args: { withSubscriptions: true } });
    expect(settings.res.subscriptionsSetting).toEqual({ mainSwitch: true, itemSettings: { [id]: 'accept' } });
  });

  test('cancel keeping the choice: rejected and kept, then rejected silently', async () => {
    const app = await newApp(w);
    const id = await template(app, SHIPPED);
    await opened(app);
    await tapWith(app, subscribe([id]));
    await host.dialog.locator('#keep-choice').check();
    await host.dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await host.result(app, 0)).res).toEqual({ errMsg: 'requestSubscribeMessage:ok', [id]: 'reject' });
    expect((await host.call(app, subscribe([id]))).res).toEqual({
      errMsg: 'requestSubscribeMessage:ok',
      [id]: 'reject',
    });
    expect(await remaining(app, host, id)).toBe(0);
  });
});

describe('every fail code a page can reach', () => {
  test('10001 empty, 10004 not ids, 20003 more than 5 ids: refused before any request', async () => {
    const app = await newApp(w);
    const id = await template(app, SHIPPED);
    await opened(app);
    expect((await host.call(app, subscribe([]))).res).toEqual(failed(Errors.TMPL_IDS_EMPTY));
    expect((await host.call(app, subscribe('abc'))).res).toEqual(failed(Errors.TMPL_ID_INVALID));
    expect((await host.call(app, subscribe([id, 7]))).res).toEqual(failed(Errors.TMPL_ID_INVALID));
    expect((await host.call(app, subscribe([id, id, id, id, id, id]))).res).toEqual(
      failed(Errors.TEMPLATE_COUNT_EXCEEDED),
    );
    // The callback style: fail, then complete, with the same object.
    const viaCallback = await host.call(app, subscribe(undefined, { style: 'callback' }));
    expect(viaCallback).toEqual({
      api: 'requestSubscribeMessage',
      ok: false,
      res: failed(Errors.TMPL_IDS_EMPTY),
    });
    expect(await host.dialog.count()).toBe(0);
  });

  test('20001 unknown id, 20002 one-time and long-term mixed', async () => {
    const app = await newApp(w);
    const oneTime = await template(app, SHIPPED);
    const longTerm = await template(app, LONG_TERM, [1, 2]);
    await opened(app);
    expect((await host.call(app, subscribe(['no-such-template']))).res).toEqual(
      failed(Errors.NO_TEMPLATE_DATA),
    );
    expect((await host.call(app, subscribe([oneTime, longTerm]))).res).toEqual(
      failed(Errors.TEMPLATE_TYPES_MIXED),
    );
  });

  test('20004 main switch off, 20005 app banned', async () => {
    const app = await newApp(w);
    const id = await template(app, SHIPPED);
    await opened(app);
    const off = await w.beckon.server.app.inject({
      method: 'PUT',
      url: `/api/apps/${app.appid}/settings`,
      headers: { authorization: `Bearer ${host.user.token}` },
      payload: { mainSwitch: false },
    });
    expect(off.statusCode).toBe(200);
    expect((await host.call(app, subscribe([id]))).res).toEqual(failed(Errors.MAIN_SWITCH_OFF));
    await setSubscribeBanned(w.beckon.server.ctx, app.appid, true);
    expect((await host.call(app, subscribe([id]))).res).toEqual(failed(Errors.APP_SUBSCRIBE_BANNED));
    expect(await host.dialog.count()).toBe(0);
  });

  test('10002: the dialog cannot be fetched; 10003: the answer cannot be recorded', async () => {
    const app = await newApp(w);
    const id = await template(app, SHIPPED);
    await opened(app);
    await host.page.route('**/subscriptions/prepare', (route) => route.abort('internetdisconnected'));
    expect((await host.call(app, subscribe([id]))).res).toEqual(failed(Errors.REQUEST_LIST_FAIL));
    await host.page.unroute('**/subscriptions/prepare');

    await host.page.route('**/subscriptions', (route) => route.abort('internetdisconnected'));
    await tapWith(app, subscribe([id]));
    await host.dialog.getByRole('button', { name: 'Allow' }).click();
    expect((await host.result(app, 1)).res).toEqual(failed(Errors.REQUEST_SUBSCRIBE_FAIL));
    expect(await remaining(app, host, id)).toBe(0);
  });

  test('10005: the app went to the background, before the request or while its dialog was open', async () => {
    const app = await newApp(w);
    const id = await template(app, SHIPPED);
    await opened(app);
    // Tapped in the frame, called 1.5 s later: by then the user switched to another tab of the phone.
    await tapWith(app, subscribe([id], { delay: 1_500 }));
    await host.page.click('#away');
    expect((await host.result(app, 0)).res).toEqual(failed(Errors.CANNOT_SHOW_UI));

    await host.open(app);
    await tapWith(app, subscribe([id]));
    await host.dialog.waitFor();
    await host.page.click('#away');
    expect((await host.result(app, 1)).res).toEqual(failed(Errors.CANNOT_SHOW_UI));
    expect(await host.dialog.count()).toBe(0);
    expect((await host.state()).dialog).toBeNull();
  });

  test('"last call has not ended": a second request while the first one is open', async () => {
    const app = await newApp(w);
    const id = await template(app, SHIPPED);
    await opened(app);
    await tapWith(app, subscribe([id], { repeat: 2 }));
    expect(await host.result(app, 0)).toEqual({
      api: 'requestSubscribeMessage',
      ok: false,
      res: { errMsg: `requestSubscribeMessage:fail ${WX_FAIL.LAST_CALL_NOT_ENDED}` },
    });
    await host.dialog.getByRole('button', { name: 'Allow' }).click();
    expect((await host.result(app, 1)).res).toEqual({ errMsg: 'requestSubscribeMessage:ok', [id]: 'accept' });
  });
});

describe('settings', () => {
  test('openSetting shows the app settings in the shell and answers with what the user left', async () => {
    const app = await newApp(w);
    await template(app, SHIPPED);
    await opened(app);
    await tapWith(app, { api: 'openSetting', args: { withSubscriptions: true } });
    const saved = host.page.waitForResponse(
      (r) => r.url().endsWith('/settings') && r.request().method() === 'PUT',
    );
    await host.dialog.getByRole('checkbox', { name: 'Subscription messages' }).uncheck();
    await saved;
    await host.screenshot('wx-open-setting');
    await host.dialog.getByRole('button', { name: 'Done' }).click();
    expect((await host.result(app, 0)).res).toEqual({
      errMsg: 'openSetting:ok',
      authSetting: {},
      subscriptionsSetting: { mainSwitch: false },
    });
  });

  test('openSetting without a tap fails with the tap message', async () => {
    const app = await newApp(w, { auto: { api: 'openSetting' } });
    await opened(app);
    expect((await host.result(app, 0)).res).toEqual({
      errMsg: `openSetting:fail ${WX_FAIL.TAP_GESTURE}`,
    });
    expect(await host.dialog.count()).toBe(0);
  });
});
