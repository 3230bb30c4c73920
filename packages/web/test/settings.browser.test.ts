// An app's settings as WeChat's Settings → Subscription Messages: the main switch and each kept template,
// reached from Me → Mini program settings; every change is the server's (checked through the client API).
import type { SettingResult } from '@beckon/protocol';
import { expect, test } from 'vitest';
import { addLibraryTemplate, signUp } from '../../server/src/test-support/harness.js';
import {
  asUser,
  createApp,
  openPhone,
  screenshot,
  signInOnPhone,
  tab,
  usePhoneWorld,
} from './support/phone.js';

const w = usePhoneWorld();

test('the main switch and a kept template, each turned off from the settings page', async () => {
  const shop = await createApp(w.beckon, { name: 'Corner Shop', type: 'miniprogram' });
  const shipped = await addLibraryTemplate(w.beckon.server, shop, 1101, [1, 2, 3]); // 订单发货提醒
  const delivered = await addLibraryTemplate(w.beckon.server, shop, 1102, [1, 2]);
  const once = await addLibraryTemplate(w.beckon.server, shop, 1103, [1, 2]);
  const kai = await signUp(w.beckon.server, 'kai');
  const settingsUrl = `/api/apps/${shop.appid}/settings`;
  // Kai allowed "shipped" and rejected "delivered", ticking "always keep"; "once" was allowed once only.
  await asUser(w.beckon, kai.token, 'POST', `/api/apps/${shop.appid}/subscriptions`, {
    tmplIds: [shipped, delivered],
    accepted: [shipped],
    keepChoice: true,
  });
  await asUser(w.beckon, kai.token, 'POST', `/api/apps/${shop.appid}/subscriptions`, {
    tmplIds: [once],
    accepted: [once],
  });
  const titles = await w.beckon.server.ctx.store.templates.list(shop.appid);
  const title = (id: string) => titles.find((t) => t.priTmplId === id)!.title;

  const page = await openPhone(w.browser, w.beckon.url);
  await signInOnPhone(page, 'kai');
  await tab(page, 'Me').click();
  await page.getByRole('button', { name: 'Mini program settings' }).click();
  await page
    .getByRole('list', { name: 'Mini programs' })
    .getByRole('button', { name: /Corner Shop/ })
    .click();
  await page.getByRole('heading', { name: 'Corner Shop' }).waitFor();

  const main = page.getByRole('switch', { name: 'Receive subscription messages' });
  expect(await main.getAttribute('aria-checked')).toBe('true');
  const kept = page.getByRole('list', { name: 'Remembered choices' });
  // Only the kept choices, by their titles; the one-time "once" is not one.
  const rows = async () =>
    Object.fromEntries(
      await kept
        .getByRole('listitem')
        .evaluateAll((items) =>
          items.map((li) => [
            li.querySelector('.list-row-title')?.textContent,
            li.querySelector('.list-row-sub')?.textContent,
          ]),
        ),
    );
  expect(await rows()).toEqual({ [title(shipped)]: 'Always allow', [title(delivered)]: 'Always reject' });
  await screenshot(page, 'settings-kept-templates');

  await kept.getByRole('switch', { name: title(shipped) }).click();
  await expect.poll(rows).toEqual({ [title(shipped)]: 'Always reject', [title(delivered)]: 'Always reject' });
  await expect
    .poll(async () => {
      const body = (await asUser(w.beckon, kai.token, 'GET', settingsUrl)) as SettingResult;
      return body.subscriptionsSetting.itemSettings?.[shipped];
    })
    .toBe('reject');

  await main.click();
  await page
    .getByText('Corner Shop cannot ask you for subscription messages or send you any.', { exact: false })
    .waitFor();
  expect(await kept.count()).toBe(0);
  await expect
    .poll(async () => {
      const body = (await asUser(w.beckon, kai.token, 'GET', settingsUrl)) as SettingResult;
      return body.subscriptionsSetting.mainSwitch;
    })
    .toBe(false);
  await screenshot(page, 'settings-main-switch-off');

  // As the server has it after a reload; Back returns to the list.
  await page.reload();
  await page.getByRole('heading', { name: 'Corner Shop' }).waitFor();
  expect(await main.getAttribute('aria-checked')).toBe('false');
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('heading', { name: 'Mini program settings' }).waitFor();
  await page.context().close();
});
