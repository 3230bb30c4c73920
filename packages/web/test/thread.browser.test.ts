// Service Notifications through the real send route: the thread paged back as the person scrolls up, cards
// arriving live, values always text, the card's link line and badge, the unread badge, stop from a card.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { addLibraryTemplate, signUp } from '../../server/src/test-support/harness.js';
import { allow, type Backend, backendOf, openidOf, send, shipped } from './support/messages.js';
import { createApp, openPhone, screenshot, signInOnPhone, tab, usePhoneWorld } from './support/phone.js';

const w = usePhoneWorld({ frontend: true });

let shop: Backend;
let template: string;

beforeAll(async () => {
  const app = await createApp(w.beckon, {
    name: 'Corner Shop',
    type: 'miniprogram',
    icon: `${w.frontend.url}icon.svg`,
    frontend: `${w.frontend.url}shop/`,
  });
  shop = await backendOf(w.beckon, app);
  template = await addLibraryTemplate(w.beckon.server, app, 1101, [1, 2, 3, 4, 5]);
});

/** A user who allowed `grants` cards of the shop's template; their openid in the shop. */
async function customer(username: string, grants: number): Promise<{ openid: string }> {
  const user = await signUp(w.beckon.server, username);
  await allow(w.beckon, user.token, shop.app.appid, template, grants);
  return { openid: await openidOf(w.beckon, shop, user.token) };
}

async function openThread(username: string): Promise<Page> {
  const page = await openPhone(w.browser, w.beckon.url);
  await signInOnPhone(page, username);
  await tab(page, 'Notifications').click();
  await page.getByRole('heading', { name: 'Service Notifications' }).waitFor();
  return page;
}

const cards = (page: Page) => page.getByRole('article');
const orders = (page: Page) =>
  cards(page).evaluateAll((all) => all.map((card) => card.querySelector('dd')?.textContent ?? ''));

describe('Service Notifications', () => {
  test('newest at the bottom; scrolling up pages back and keeps what was on screen; opening reads them', async () => {
    const { openid } = await customer('pia', 25);
    for (let i = 1; i <= 25; i++)
      expect(
        await send(w.beckon, shop, {
          touser: openid,
          template_id: template,
          data: shipped({ character_string1: `ORDER${i}` }),
        }),
      ).toBe(0);

    const page = await openPhone(w.browser, w.beckon.url);
    await signInOnPhone(page, 'pia');
    await tab(page, 'Notifications')
      .and(page.getByRole('link', { name: 'Notifications, 25 unread' }))
      .waitFor();
    await screenshot(page, 'thread-unread-badge');
    await tab(page, 'Notifications').click();
    await page.getByRole('heading', { name: 'Service Notifications' }).waitFor();
    // The newest page (20), oldest first, and the last one in view.
    await expect.poll(() => orders(page)).toEqual(Array.from({ length: 20 }, (_, i) => `ORDER${i + 6}`));
    const newest = cards(page).last();
    expect(await newest.isVisible()).toBe(true);
    expect((await newest.boundingBox())!.y).toBeLessThan(844);
    await tab(page, 'Notifications')
      .and(page.getByRole('link', { name: 'Notifications', exact: true }))
      .waitFor();
    await screenshot(page, 'thread-newest');

    const firstLoaded = cards(page).first();
    await page.getByRole('main').hover();
    for (let i = 0; i < 40 && (await orders(page)).length < 25; i++) await page.mouse.wheel(0, -600);
    await expect.poll(() => orders(page)).toEqual(Array.from({ length: 25 }, (_, i) => `ORDER${i + 1}`));
    // ORDER6, at the top before, has not been pushed off screen by the five older cards.
    const box = (await page.locator('article', { hasText: 'ORDER6' }).boundingBox())!;
    expect(box.y + box.height).toBeGreaterThan(0);
    expect(box.y).toBeLessThan(844);
    expect(await firstLoaded.isVisible()).toBe(true);
    await screenshot(page, 'thread-paged-back');
    await page.context().close();
  });

  test('a card sent while the thread is open appears without a reload, its values as text', async () => {
    const { openid } = await customer('quinn', 5);
    const page = await openThread('quinn');
    await page.getByText('No notifications yet.', { exact: false }).waitFor();

    const values = {
      character_string1: '<img/src=x/onerror=pwn()>',
      thing2: '<script>x</script>',
      thing3: '&lt;b&gt; & "q"',
    };
    expect(
      await send(w.beckon, shop, {
        touser: openid,
        template_id: template,
        page: 'pages/order/detail?id=42',
        lang: 'en_US',
        miniprogram_state: 'trial',
        data: shipped(values),
      }),
    ).toBe(0);
    const card = cards(page).first();
    await card.waitFor();
    expect(await card.getByRole('heading').textContent()).toBe('订单发货提醒');
    expect(await card.locator('dd').allTextContents()).toEqual([
      values.character_string1,
      values.thing2,
      values.thing3,
      'SF1234567890123',
      '2019年10月1日 15:01',
    ]);
    expect(await card.locator('dt').allTextContents()).toEqual([
      '订单号',
      '商品名称',
      '快递公司',
      '快递单号',
      '发货时间',
    ]);
    // Nothing of the values became markup.
    expect(await card.locator('dd img, dd script, dd b').count()).toBe(0);
    expect(await card.locator('.card-app').textContent()).toBe('Corner Shop');
    expect(await card.getByText('Trial version').count()).toBe(1);
    await card.getByRole('button', { name: 'Enter Mini Program to view' }).waitFor();
    await screenshot(page, 'thread-live-card-inert-values');

    // Each lang's line; a card without a page has none, and no badge when formal.
    for (const [lang, line] of [
      ['zh_CN', '进入小程序查看'],
      ['zh_HK', '進入小程式查看'],
      ['zh_TW', '進入小程式查看'],
    ] as const) {
      expect(
        await send(w.beckon, shop, {
          touser: openid,
          template_id: template,
          page: 'pages/index',
          lang,
          data: shipped(),
        }),
      ).toBe(0);
      await cards(page).last().getByRole('button', { name: line }).waitFor();
      expect(await cards(page).last().getAttribute('aria-labelledby')).toBeTruthy();
    }
    expect(
      await send(w.beckon, shop, {
        touser: openid,
        template_id: template,
        data: shipped(),
        miniprogram_state: 'developer',
      }),
    ).toBe(0);
    await expect.poll(() => cards(page).count()).toBe(5);
    const plain = cards(page).last();
    expect(await plain.getByRole('button', { name: /查看|view/ }).count()).toBe(0);
    expect(await plain.getByText('Developer version').count()).toBe(1);
    // Tapping a card without a page opens nothing.
    await plain.getByRole('heading').click();
    expect(new URL(page.url()).pathname).toBe('/notifications');
    await screenshot(page, 'thread-langs-and-no-page');
    await page.context().close();
  });

  test('the unread badge follows cards live on another tab', async () => {
    const { openid } = await customer('rae', 2);
    const page = await openPhone(w.browser, w.beckon.url);
    await signInOnPhone(page, 'rae');
    await tab(page, 'Notifications')
      .and(page.getByRole('link', { name: 'Notifications', exact: true }))
      .waitFor();
    await send(w.beckon, shop, { touser: openid, template_id: template, data: shipped() });
    await page.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor();
    await send(w.beckon, shop, { touser: openid, template_id: template, data: shipped() });
    await page.getByRole('link', { name: 'Notifications, 2 unread' }).waitFor();
    await screenshot(page, 'thread-badge-live');
    await page.context().close();
  });

  test("stop from the card's menu, after a confirmation: the app can send that template no more", async () => {
    const { openid } = await customer('sol', 3);
    await send(w.beckon, shop, { touser: openid, template_id: template, data: shipped() });
    const page = await openThread('sol');
    const card = cards(page).first();
    await card.getByRole('button', { name: 'More options for 订单发货提醒' }).click();
    const menu = page.getByRole('dialog', { name: 'Options' });
    await menu.getByRole('button', { name: 'Stop receiving this template' }).waitFor();
    await screenshot(page, 'thread-card-menu');
    await menu.getByRole('button', { name: 'Stop receiving this template' }).click();
    const confirm = page.getByRole('dialog', { name: 'Stop receiving "订单发货提醒"?' });
    await confirm.waitFor();
    await screenshot(page, 'thread-stop-confirm');
    await confirm.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('status').getByText('You will no longer receive "订单发货提醒".').waitFor();
    // Two grants were left: stopping zeroed them.
    expect(await send(w.beckon, shop, { touser: openid, template_id: template, data: shipped() })).toBe(
      43101,
    );
    await page.context().close();
  });
});
