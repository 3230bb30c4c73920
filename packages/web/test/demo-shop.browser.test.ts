// The demo's shop as a newcomer meets it: the built `beckon start` on a fresh data dir (the demo on), the
// phone at the banner's URL, alice's sign-in from the banner, and examples/shop running as Beckon's child.
// Order → the phone's dialog after the tap → the cards live in Service Notifications → a card opens the
// order; the kept choice; stop from a card; the app's settings and its main switch.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../../client/test/support/browser.js';
import {
  appFrame,
  appInert,
  appPage,
  cardsTitled,
  type Demo,
  dialog,
  openFromHome,
  pickItem,
  placedOrder,
  rowsOf,
  signInAs,
  startDemo,
} from './support/demo.js';
import { openPhone, screenshot, tab } from './support/phone.js';

const SHIPPED = '订单发货提醒';
const DELIVERED = '签收成功通知';
const CONSENT = 'Demo Shop Would like to send you these messages';

let demo: Demo;
let browser: Browser;
let alice: Page;
/** The phone's full page loads after alice signed in: a card that needs a reload would show here. */
let loads = 0;

beforeAll(async () => {
  // The shop's timings pass through the demo to the sample: a shorter wait, still long enough to watch.
  demo = await startDemo({ SHIP_AFTER_MS: '3000', DELIVER_AFTER_MS: '4000' });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

/** The shop's order page says the order is placed and shows what became of the dialog, per card. */
const choices = (page: Page) =>
  appPage(page).getByRole('list', { name: 'Your choice' }).getByRole('listitem').allTextContents();

/** Close the app (the capsule's ⊗): back where it was opened from, the app kept where it was. */
async function closeApp(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Close ${name}` }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor({ state: 'hidden' });
}

describe('the demo: Demo Shop', () => {
  let first: string;

  test('alice orders: the dialog only after the Order tap, accepted and kept; both cards arrive live', async () => {
    alice = await openPhone(browser, demo.url);
    await screenshot(alice, 'demo-shop-sign-in');
    await signInAs(alice, demo, 'alice');
    alice.on('load', () => loads++);
    await screenshot(alice, 'demo-shop-home');

    await openFromHome(alice, 'Demo Shop');
    await appPage(alice).getByRole('heading', { name: 'Demo Shop' }).waitFor();
    expect(new URL((await appFrame(alice)).url()).pathname).toBe('/pages/index/index');
    await screenshot(alice, 'demo-shop-index');

    await pickItem(alice, 'Wireless earbuds, ¥199.00');
    await appPage(alice).getByRole('heading', { name: '无线蓝牙耳机' }).waitFor();
    // The page has loaded and read its settings: no dialog until the person taps Order.
    await appPage(alice).getByRole('button', { name: 'Notification settings' }).waitFor();
    expect(await alice.getByRole('dialog').count()).toBe(0);
    await screenshot(alice, 'demo-shop-item');

    await appPage(alice)
      .getByRole('button', { name: /^Order/ })
      .click();
    const consent = dialog(alice, CONSENT);
    await consent.waitFor();
    expect(await appInert(alice)).toBe(true);
    expect(await consent.locator('.consent-app-name').textContent()).toBe('Demo Shop');
    expect(await consent.locator('.consent-item-title').allTextContents()).toEqual([SHIPPED, DELIVERED]);
    const keywords = (title: string) =>
      consent
        .getByRole('list', { name: `${title}: what it shows` })
        .getByRole('listitem')
        .allTextContents();
    expect(await keywords(SHIPPED)).toEqual(['订单号', '商品名称', '快递公司', '快递单号', '发货时间']);
    expect(await keywords(DELIVERED)).toEqual(['快递单号', '签收时间', '签收地点', '商品名称']);
    // A switch per template, both on.
    expect(await consent.getByRole('switch').evaluateAll((s) => s.map((x) => x.ariaChecked))).toEqual([
      'true',
      'true',
    ]);
    await consent.getByLabel("Always keep the above choice, don't ask again").check();
    await screenshot(alice, 'demo-shop-consent');
    await consent.getByRole('button', { name: 'Allow' }).click();

    first = await placedOrder(alice);
    expect(await choices(alice)).toEqual(['Order shippedAllowed', 'Parcel deliveredAllowed']);
    await appPage(alice)
      .getByText('Your kept choice: Order shipped always allowed, Parcel delivered always allowed.')
      .waitFor();
    await screenshot(alice, 'demo-shop-ordered');

    // Home while the order ships: the badge moves when the card comes, no reload.
    await closeApp(alice, 'Demo Shop');
    await alice.getByRole('heading', { name: 'Mini Programs' }).waitFor();
    expect(await tab(alice, 'Notifications').getAttribute('aria-label')).toBe('Notifications');
    await alice.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor({ timeout: 15_000 });
    await screenshot(alice, 'demo-shop-badge');

    await tab(alice, 'Notifications').click();
    const shipped = cardsTitled(alice, SHIPPED);
    await shipped.first().waitFor();
    expect(await rowsOf(shipped.first())).toEqual([
      `订单号: ${first}`,
      '商品名称: 无线蓝牙耳机',
      expect.stringMatching(/^快递公司: \S/),
      expect.stringMatching(/^快递单号: \S/),
      expect.stringMatching(/^发货时间: \d{4}-\d\d-\d\d \d\d:\d\d$/),
    ]);
    expect(await shipped.first().locator('.card-app').textContent()).toBe('Demo Shop');
    // The delivery comes while the thread is open.
    expect(await cardsTitled(alice, DELIVERED).count()).toBe(0);
    await cardsTitled(alice, DELIVERED).first().waitFor({ timeout: 15_000 });
    expect(await rowsOf(cardsTitled(alice, DELIVERED).first())).toContain('商品名称: 无线蓝牙耳机');
    expect(loads).toBe(0);
    await screenshot(alice, 'demo-shop-thread');
  }, 90_000);

  test("the card opens the order's page at scene 1014 with its id", async () => {
    await cardsTitled(alice, SHIPPED).first().getByRole('button', { name: '进入小程序查看' }).click();
    await alice.getByRole('heading', { name: 'Demo Shop', level: 1 }).waitFor();
    const shop = appPage(alice);
    // The page checks the launch itself: scene 1014, this path, this id.
    await shop.getByText('Opened from your Service Notifications.').waitFor();
    await shop.getByText(`Order ${first}`).waitFor();
    const url = new URL((await appFrame(alice)).url());
    expect(url.pathname).toBe('/pages/order/detail');
    expect(Object.fromEntries(url.searchParams)).toEqual({ id: first });
    await screenshot(alice, 'demo-shop-from-card');
  });

  test('ordering again asks nothing (the kept choice) and still adds a grant: a card arrives', async () => {
    const shop = appPage(alice);
    await shop.getByRole('button', { name: 'Back to the shop' }).click();
    await pickItem(alice, 'Mechanical keyboard, ¥349.00');
    await shop.getByText('Your kept choice:', { exact: false }).waitFor();
    await shop.getByRole('button', { name: /^Order/ }).click();
    // A dialog would hold the answer until someone taps Allow: the answer coming is the proof.
    const second = await placedOrder(alice);
    expect(await choices(alice)).toEqual(['Order shippedAllowed', 'Parcel deliveredAllowed']);
    expect(await alice.getByRole('dialog').count()).toBe(0);
    await screenshot(alice, 'demo-shop-kept-choice');

    await closeApp(alice, 'Demo Shop');
    await tab(alice, 'Notifications').click();
    const card = cardsTitled(alice, SHIPPED).filter({ hasText: second });
    await card.waitFor({ timeout: 15_000 });
    expect(await rowsOf(card)).toContain('商品名称: 机械键盘');
    expect(loads).toBe(0);
    await screenshot(alice, 'demo-shop-second-card');
  }, 60_000);

  test('stopped from its card, the template is refused: the next order says its card was not sent', async () => {
    const last = cardsTitled(alice, SHIPPED).last();
    await last.getByRole('button', { name: `More options for ${SHIPPED}` }).click();
    await alice.getByRole('button', { name: 'Stop receiving this template' }).click();
    const sure = dialog(alice, `Stop receiving "${SHIPPED}"?`);
    await sure.waitFor();
    await screenshot(alice, 'demo-shop-stop-confirm');
    await sure.getByRole('button', { name: 'Stop' }).click();
    await alice.getByText(`You will no longer receive "${SHIPPED}".`).waitFor();
    await screenshot(alice, 'demo-shop-stopped');

    // Back in the shop (where alice left it: the keyboard's page), one more order.
    await tab(alice, 'Home').click();
    await openFromHome(alice, 'Demo Shop');
    const shop = appPage(alice);
    await shop.getByRole('button', { name: /^Order another/ }).click();
    const third = await placedOrder(alice);
    expect(await choices(alice)).toEqual(['Order shippedRefused', 'Parcel deliveredAllowed']);
    await shop
      .getByText('Your kept choice: Order shipped always refused, Parcel delivered always allowed.')
      .waitFor();
    await shop.getByRole('button', { name: 'View order' }).click();
    await shop.getByText(`Order ${third}`).waitFor();
    const line = (label: string) => shop.locator('dt', { hasText: label }).locator('+ dd');
    await expect.poll(() => line('Delivered card').textContent(), { timeout: 20_000 }).toMatch(/^sent/);
    expect(await line('Shipped card').textContent()).toBe('not sent: the user has not granted it');
    await screenshot(alice, 'demo-shop-not-sent');
  }, 60_000);

  test('the settings, from the capsule and from Me; the main switch off → 20004, nothing sent; on again', async () => {
    await alice.getByRole('button', { name: 'More', exact: true }).click();
    await dialog(alice, 'Options').getByRole('button', { name: 'Settings' }).click();
    const kept = alice.getByRole('list', { name: 'Remembered choices' });
    await kept.waitFor();
    const rows = () =>
      kept
        .getByRole('listitem')
        .evaluateAll((items) =>
          items.map(
            (li) =>
              `${li.querySelector('.list-row-title')?.textContent}: ${li.querySelector('.list-row-sub')?.textContent}`,
          ),
        );
    expect((await rows()).sort()).toEqual([`${DELIVERED}: Always allow`, `${SHIPPED}: Always reject`].sort());
    const main = alice.getByRole('switch', { name: 'Receive subscription messages' });
    expect(await main.getAttribute('aria-checked')).toBe('true');
    await screenshot(alice, 'demo-shop-settings-from-capsule');
    await main.click();
    await alice.getByText('Demo Shop cannot ask you for subscription messages', { exact: false }).waitFor();
    await screenshot(alice, 'demo-shop-main-switch-off');
    await alice.locator('.runner-overlay').getByRole('button', { name: 'Back' }).click();

    // The shop's page (the order) is where it was; back to the item, and order.
    const shop = appPage(alice);
    await shop.getByRole('button', { name: 'Back', exact: true }).click();
    await shop.getByRole('button', { name: /^Order another/ }).click();
    await shop.getByText(/^No cards for this order: requestSubscribeMessage:fail .*\(20004\)$/).waitFor();
    const fourth = await placedOrder(alice);
    await shop
      .getByText('Notifications from Demo Shop are off: no card will come.', { exact: false })
      .waitFor();
    await screenshot(alice, 'demo-shop-20004');
    await shop.getByRole('button', { name: 'View order' }).click();
    await shop.getByText(`Order ${fourth}`).waitFor();
    const line = (label: string) => shop.locator('dt', { hasText: label }).locator('+ dd');
    await expect.poll(() => line('Delivered card').textContent(), { timeout: 20_000 }).toMatch(/^not sent/);
    expect(await line('Shipped card').textContent()).toMatch(/^not sent/);
    await screenshot(alice, 'demo-shop-nothing-sent');

    // Me → Mini program settings → Demo Shop: off, as the capsule left it; on again.
    await closeApp(alice, 'Demo Shop');
    await tab(alice, 'Me').click();
    await alice.getByRole('button', { name: 'Mini program settings' }).click();
    await alice
      .getByRole('list', { name: 'Mini programs' })
      .getByRole('button', { name: /Demo Shop/ })
      .click();
    expect(await main.getAttribute('aria-checked')).toBe('false');
    await main.click();
    await kept.waitFor();
    expect((await rows()).sort()).toEqual([`${DELIVERED}: Always allow`, `${SHIPPED}: Always reject`].sort());
    await screenshot(alice, 'demo-shop-settings-from-me');
    expect(loads).toBe(0);
  }, 60_000);
});
