// Home lists the mini programs and mini games that have a front end, with icon, name and type.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FrontendServer, startFrontendServer } from './support/frontend.js';
import { createApp, openPhone, screenshot, signUpOnPhone, usePhoneWorld } from './support/phone.js';

const w = usePhoneWorld({ frontend: true });
/** The game's front end: an origin of its own, as no two apps share one. */
let gameFrontend: FrontendServer;
beforeAll(async () => {
  gameFrontend = await startFrontendServer();
});
afterAll(() => gameFrontend?.close());

test('Home lists the apps with a front end: icon or initial, name, type; the others are left out', async () => {
  await createApp(w.beckon, {
    name: 'Corner Shop',
    type: 'miniprogram',
    icon: `${w.frontend.url}icon.svg`,
    frontend: `${w.frontend.url}shop/`,
  });
  await createApp(w.beckon, {
    name: 'Tap Tap Stars',
    type: 'minigame',
    frontend: `${gameFrontend.url}game/`,
  });
  await createApp(w.beckon, { name: 'Backend Only', type: 'miniprogram' });

  const page = await openPhone(w.browser, w.beckon.url);
  await signUpOnPhone(page, 'hana');
  const list = page.getByRole('list', { name: 'Mini programs and mini games' });
  await list.getByRole('button').first().waitFor();
  expect(await list.locator('.list-row-title').allTextContents()).toEqual(['Corner Shop', 'Tap Tap Stars']);
  expect(await list.locator('.list-row-sub').allTextContents()).toEqual(['Mini Program', 'Mini Game']);

  const shop = list.getByRole('button', { name: /Corner Shop/ });
  const icon = shop.locator('img');
  await page.waitForFunction((img) => (img as HTMLImageElement).complete, await icon.elementHandle());
  expect(await icon.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  expect(await icon.getAttribute('alt')).toBe('');
  // No icon: the name's first letter on a tile.
  expect(
    await list
      .getByRole('button', { name: /Tap Tap Stars/ })
      .locator('.app-icon-tile')
      .textContent(),
  ).toBe('T');
  await screenshot(page, 'home');
  await page.context().close();
});

test('on a desktop window the phone sits in a phone-sized frame, centred', async () => {
  const page = await openPhone(w.browser, w.beckon.url, { width: 1280, height: 900 });
  await signUpOnPhone(page, 'desk');
  const box = await page.locator('.phone').boundingBox();
  expect(box).not.toBeNull();
  expect(box!.width).toBe(390);
  expect(box!.height).toBeLessThanOrEqual(844);
  expect(Math.abs(box!.x + box!.width / 2 - 640)).toBeLessThan(2);
  await screenshot(page, 'home-desktop');
  await page.context().close();
});
