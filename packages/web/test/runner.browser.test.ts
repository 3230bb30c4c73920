// The runner: a mini program opened from Home and from a card, in the shell's sandboxed frames under the
// phone's nav bar and capsule; the consent dialog the phone draws after a tap in the frame; the app's
// settings from the capsule; Back through its page stack; closing keeps it where it was.
import { describe, expect, test } from 'vitest';
import { eventually } from '../../client/test/support/eventually.js';
import { newApp, newUser, useWxWorld } from '../../client/test/support/wx-world.js';
import { addLibraryTemplate } from '../../server/src/test-support/harness.js';
import { frameOf, resultOf, tapWith } from './support/apps.js';
import { allow, backendOf, openidOf, send, shipped } from './support/messages.js';
import { phoneOf, screenshot, tab } from './support/phone.js';

const w = useWxWorld();

describe('the runner', () => {
  test('opened from Home; the consent dialog after a tap; settings from the capsule; closing keeps the app', async () => {
    const app = await newApp(w, { name: 'Tiny Shop', pages: ['pages/index', 'pages/order/detail'] });
    const shippedId = await addLibraryTemplate(w.beckon.server, app, 1101, [1, 2, 3]);
    const deliveredId = await addLibraryTemplate(w.beckon.server, app, 1102, [1, 2]);
    const user = await newUser(w, 'tess');
    const { page, results } = await phoneOf(w, user.username);

    await page.getByRole('button', { name: /Tiny Shop/ }).click();
    await page.getByRole('heading', { name: 'Tiny Shop', level: 1 }).waitFor();
    const frame = await frameOf(page, app);
    expect(new URL(frame.url()).pathname).toBe(`/mini/${app.appid}/pages/index`);
    expect(await page.getByRole('button', { name: 'Back' }).count()).toBe(0);
    await screenshot(page, 'runner-opened-from-home');

    await tapWith(page, app, { api: 'requestSubscribeMessage', args: { tmplIds: [shippedId, deliveredId] } });
    const dialog = page.getByRole('dialog', { name: 'Tiny Shop Would like to send you these messages' });
    await dialog.waitFor();
    // The app's page is out of reach while the platform asks.
    expect(
      await page.locator(`[data-beckon-app="${app.appid}"]`).evaluate((el) => (el as HTMLElement).inert),
    ).toBe(true);
    await screenshot(page, 'runner-consent-dialog');
    const stored = await w.beckon.server.ctx.store.templates.list(app.appid);
    const titleOf = (id: string) => stored.find((t) => t.priTmplId === id)!.title;
    expect(await dialog.locator('.consent-item-title').allTextContents()).toEqual([
      titleOf(shippedId),
      titleOf(deliveredId),
    ]);
    await dialog.getByRole('switch').nth(1).click();
    await dialog.getByLabel("Always keep the above choice, don't ask again").check();
    await dialog.getByRole('button', { name: 'Allow' }).click();
    const answer = await resultOf(results, 0);
    expect(answer.ok).toBe(true);
    expect(answer.res).toEqual({
      errMsg: 'requestSubscribeMessage:ok',
      [shippedId]: 'accept',
      [deliveredId]: 'reject',
    });

    // The capsule's menu → Settings, over the app; Back returns to the app as it was, which hears onShow
    // (it may read what changed).
    const shows = () =>
      frame.evaluate(() => (window as unknown as { mini: { shows: unknown[] } }).mini.shows.length);
    const showsBefore = await shows();
    await page.getByRole('button', { name: 'More' }).click();
    await page.getByRole('dialog', { name: 'Options' }).getByRole('button', { name: 'Settings' }).click();
    const kept = page.getByRole('list', { name: 'Remembered choices' });
    await kept.waitFor();
    expect(await kept.getByRole('switch').count()).toBe(2);
    await screenshot(page, 'runner-settings-over-app');
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('heading', { name: 'Tiny Shop', level: 1 }).waitFor();
    expect(await kept.count()).toBe(0);
    await expect.poll(shows).toBe(showsBefore + 1);

    // wx.openSetting in a tap opens the same page; leaving it answers the app with the settings.
    await tapWith(page, app, { api: 'openSetting', args: { withSubscriptions: true } });
    await kept.waitFor();
    await page.getByRole('button', { name: 'Back' }).click();
    expect((await resultOf(results, 1)).res).toMatchObject({
      errMsg: 'openSetting:ok',
      subscriptionsSetting: {
        mainSwitch: true,
        itemSettings: { [shippedId]: 'accept', [deliveredId]: 'reject' },
      },
    });

    // Close: Home again; opening the app again finds it where it was (no reload of its page).
    await page.getByRole('button', { name: 'Close Tiny Shop' }).click();
    await page.getByRole('heading', { name: 'Mini Programs' }).waitFor();
    await page.getByRole('button', { name: /Tiny Shop/ }).click();
    const again = await frameOf(page, app);
    expect(
      await again.evaluate(() => (window as unknown as { mini: { results: unknown[] } }).mini.results.length),
    ).toBe(2);

    // The capsule's Reload starts the app over.
    await page.getByRole('button', { name: 'More' }).click();
    await page.getByRole('dialog', { name: 'Options' }).getByRole('button', { name: 'Reload' }).click();
    const reloaded = async () => {
      const fresh = await frameOf(page, app);
      return fresh.evaluate(
        () => (window as unknown as { mini: { results: unknown[] } }).mini.results.length,
      );
    };
    // The old page may go away while it is read: a detached frame is "not yet".
    await eventually(
      () =>
        reloaded().then(
          (n) => n === 0 || undefined,
          () => undefined,
        ),
      'a fresh page',
    );
    await page.context().close();
  });

  test("a card opens the app at the card's page with its query, scene 1014; Back walks its page stack", async () => {
    const app = await newApp(w, { name: 'Card Shop', pages: ['pages/index', 'pages/order/detail'] });
    const template = await addLibraryTemplate(w.beckon.server, app, 1101, [1, 2, 3, 4, 5]);
    const user = await newUser(w, 'uma');
    await allow(w.beckon, user.token, app.appid, template);
    const backend = await backendOf(w.beckon, app);
    const openid = await openidOf(w.beckon, backend, user.token);
    expect(
      await send(w.beckon, backend, {
        touser: openid,
        template_id: template,
        page: 'pages/order/detail?id=42&from=card',
        data: shipped(),
      }),
    ).toBe(0);

    const { page, results } = await phoneOf(w, user.username);
    await tab(page, 'Notifications').click();
    await page.getByRole('button', { name: '进入小程序查看' }).click();
    await page.getByRole('heading', { name: 'Card Shop', level: 1 }).waitFor();
    const frame = await frameOf(page, app);
    const url = new URL(frame.url());
    expect(url.pathname).toBe(`/mini/${app.appid}/pages/order/detail`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ id: '42', from: 'card' });
    const launch = await frame.evaluate(() =>
      (window as unknown as { wx: { getLaunchOptionsSync(): unknown } }).wx.getLaunchOptionsSync(),
    );
    expect(launch).toMatchObject({
      path: 'pages/order/detail',
      query: { id: '42', from: 'card' },
      scene: 1014,
    });
    await screenshot(page, 'runner-opened-from-card');

    await tapWith(page, app, { api: 'navigateTo', args: { url: '/pages/index?step=2' } });
    expect((await resultOf(results, 0)).res).toMatchObject({ errMsg: 'navigateTo:ok' });
    const back = page.getByRole('button', { name: 'Back' });
    await back.waitFor();
    expect(new URL((await frameOf(page, app)).url()).pathname).toBe(`/mini/${app.appid}/pages/index`);
    await back.click();
    await eventually(async () => (await back.count()) === 0 || undefined, 'Back gone on the first page');
    expect(new URL((await frameOf(page, app)).url()).pathname).toBe(`/mini/${app.appid}/pages/order/detail`);

    // A reload of the runner's address opens the app again the same way.
    await page.reload();
    await page.getByRole('heading', { name: 'Card Shop', level: 1 }).waitFor();
    const reopened = await frameOf(page, app);
    expect(new URL(reopened.url()).pathname).toBe(`/mini/${app.appid}/pages/order/detail`);
    expect(
      await reopened.evaluate(() =>
        (
          window as unknown as { wx: { getLaunchOptionsSync(): { scene: number } } }
        ).wx.getLaunchOptionsSync(),
      ),
    ).toMatchObject({ scene: 1014, query: { id: '42', from: 'card' } });

    // The browser's Back leaves the app for the thread.
    await page.goBack();
    await page.getByRole('heading', { name: 'Service Notifications' }).waitFor();
    await page.context().close();
  });

  test('a hostile address opens no other origin in the frame, and a malformed one does not break the phone', async () => {
    const app = await newApp(w, { name: 'Trusted Shop' });
    const user = await newUser(w, 'hugo');
    const { page } = await phoneOf(w, user.username);
    const origin = new URL(app.listing.frontend!).origin;
    for (const hostile of [
      '%252F%252Fevil.example%252Fsign-in',
      '%2F%2Fevil.example%2Fsign-in',
      'javascript%253Aparent.document.title%253D1%252F%252F',
      'https%253A%252F%252Fevil.example%252F',
    ]) {
      await page.goto(`${w.beckon.url}/apps/${app.appid}?scene=1014&page=${hostile}`);
      await page.getByRole('heading', { name: 'Trusted Shop', level: 1 }).waitFor();
      const src = await page.locator(`[data-beckon-app="${app.appid}"] iframe`).last().getAttribute('src');
      expect(new URL(src!).origin, hostile).toBe(origin);
    }
    // The server refuses `/apps/%zz` itself (400): the phone meets it only by history (a link, Back).
    await page.evaluate(() => {
      history.pushState({}, '', '/apps/%zz');
      dispatchEvent(new PopStateEvent('popstate'));
    });
    await page.getByRole('heading', { name: 'Mini Programs' }).waitFor();
    await page.context().close();
  });
});
