// A mini game in the runner: the modal, action sheet, reminder-type dialog and friend confirmation the
// phone draws for it; its reminder types in its settings; a friend's reminder as a system card in the
// thread, whose menu turns that reminder type off.
import { type SettingResult, WX_FAIL } from '@beckon/protocol';
import { expect, test } from 'vitest';
import { newApp, newUser, useWxWorld } from '../../client/test/support/wx-world.js';
import { frameOf, resultOf, tapWith } from './support/apps.js';
import { asUser, phoneOf, screenshot, tab } from './support/phone.js';

const w = useWxWorld();

/** The friend interaction reminders' item setting, as `wx.getSetting` reads it for the user `token`. */
async function interactiveSetting(appid: string, token: string) {
  const body = (await asUser(w.beckon, token, 'GET', `/api/apps/${appid}/settings`)) as SettingResult;
  return body.subscriptionsSetting.itemSettings?.SYS_MSG_TYPE_INTERACTIVE;
}

test('a modal, then the reminder-type dialog in its callback; an action sheet; the types in settings', async () => {
  const game = await newApp(w, { type: 'minigame', name: 'Star Hop' });
  const user = await newUser(w, 'vic');
  const { page, results } = await phoneOf(w, user.username);
  await page.getByRole('button', { name: /Star Hop/ }).click();
  await frameOf(page, game);

  await tapWith(page, game, {
    api: 'showModal',
    args: { title: 'Refill stamina?', content: 'We can remind you\nwhen it is full.', confirmText: 'Yes' },
    andThen: {
      api: 'requestSubscribeSystemMessage',
      args: { msgTypeList: ['SYS_MSG_TYPE_INTERACTIVE', 'SYS_MSG_TYPE_WHATS_NEW'] },
    },
  });
  const modal = page.getByRole('dialog', { name: 'Refill stamina?' });
  await modal.waitFor();
  await screenshot(page, 'game-modal');
  await modal.getByRole('button', { name: 'Yes' }).click();
  expect((await resultOf(results, 0)).res).toMatchObject({
    errMsg: 'showModal:ok',
    confirm: true,
    cancel: false,
  });

  const ask = page.getByRole('dialog', { name: 'Star Hop Would like to send you these reminders' });
  await ask.waitFor();
  expect(await ask.locator('.consent-item-title').allTextContents()).toEqual([
    'Friend interaction reminders',
    'Game update reminders',
  ]);
  await screenshot(page, 'game-reminder-dialog');
  await ask.getByRole('switch', { name: 'Game update reminders' }).click();
  await ask.getByRole('button', { name: 'Allow' }).click();
  expect((await resultOf(results, 1)).res).toEqual({
    errMsg: 'requestSubscribeSystemMessage:ok',
    SYS_MSG_TYPE_INTERACTIVE: 'accept',
    SYS_MSG_TYPE_WHATS_NEW: 'reject',
  });

  await tapWith(page, game, {
    api: 'showActionSheet',
    args: { alertText: 'Send a gift', itemList: ['Star', 'Heart'] },
  });
  const sheet = page.getByRole('dialog', { name: 'Send a gift' });
  await sheet.waitFor();
  await screenshot(page, 'game-action-sheet');
  await sheet.getByRole('button', { name: 'Heart' }).click();
  expect((await resultOf(results, 2)).res).toEqual({ errMsg: 'showActionSheet:ok', tapIndex: 1 });

  // The game's settings: its reminder types; one switched off there.
  await page.getByRole('button', { name: 'More' }).click();
  await page.getByRole('dialog', { name: 'Options' }).getByRole('button', { name: 'Settings' }).click();
  const reminders = page.getByRole('list', { name: 'Game reminders' });
  await reminders.waitFor();
  const interactive = reminders.getByRole('switch', { name: 'Friend interaction reminders' });
  expect(await interactive.getAttribute('aria-checked')).toBe('true');
  await screenshot(page, 'game-settings-reminders');
  await interactive.click();
  await expect.poll(() => interactiveSetting(game.appid, user.token)).toBe('reject');
  await page.context().close();
});

test("the phone's modal never hands the focus back to the frame: its tap counts for one request", async () => {
  const game = await newApp(w, { type: 'minigame', name: 'Star Hop Once' });
  const user = await newUser(w, 'una');
  // An accepted type is answered at once, without a dialog, by a request that passes the tap rule.
  const types = ['SYS_MSG_TYPE_INTERACTIVE'];
  await asUser(w.beckon, user.token, 'POST', `/api/apps/${game.appid}/system-subscriptions`, {
    msgTypeList: types,
    accepted: types,
  });
  const { page, results } = await phoneOf(w, user.username);
  await page.getByRole('button', { name: /Star Hop Once/ }).click();
  await frameOf(page, game);
  const request = { api: 'requestSubscribeSystemMessage' as const, args: { msgTypeList: types } };
  await tapWith(page, game, {
    api: 'showModal',
    args: { title: 'Remind me?' },
    andThen: { ...request, andThen: request },
  });
  await page.getByRole('dialog', { name: 'Remind me?' }).getByRole('button', { name: 'OK' }).click();
  expect((await resultOf(results, 0)).res).toMatchObject({ errMsg: 'showModal:ok', confirm: true });
  expect((await resultOf(results, 1)).res).toEqual({
    errMsg: 'requestSubscribeSystemMessage:ok',
    SYS_MSG_TYPE_INTERACTIVE: 'accept',
  });
  expect((await resultOf(results, 2)).res).toEqual({
    errMsg: `requestSubscribeSystemMessage:fail ${WX_FAIL.TAP_GESTURE}`,
  });
  expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('IFRAME');
  await page.context().close();
});

test("a friend interaction the player confirms reaches the friend's thread as a system card", async () => {
  const game = await newApp(w, { type: 'minigame', name: 'Star Hop Friends' });
  const ann = await newUser(w, 'ann');
  const ben = await newUser(w, 'ben');
  await asUser(w.beckon, ann.token, 'POST', '/api/friends', { username: ben.username });
  // Ben plays the game and allowed friend interaction reminders.
  await asUser(w.beckon, ben.token, 'POST', `/api/apps/${game.appid}/login`);
  const types = ['SYS_MSG_TYPE_INTERACTIVE'];
  await asUser(w.beckon, ben.token, 'POST', `/api/apps/${game.appid}/system-subscriptions`, {
    msgTypeList: types,
    accepted: types,
  });

  const { page, results } = await phoneOf(w, ann.username);
  await page.getByRole('button', { name: /Star Hop Friends/ }).click();
  await tapWith(page, game, { api: 'getFriendCloudStorage', args: { keyList: ['score'] } });
  const board = (await resultOf(results, 0)).res as { data: { nickname: string; openid: string }[] };
  const benOpenid = board.data.find((p) => p.nickname === ben.username)!.openid;

  await tapWith(page, game, {
    api: 'modifyFriendInteractiveStorage',
    args: { key: '1', opNum: 1, operation: 'add', toUser: benOpenid, title: 'Sent you a star' },
  });
  const confirm = page.getByRole('dialog', { name: `Remind ${ben.username}?` });
  await confirm.waitFor();
  expect(await confirm.getByText('Sent you a star').count()).toBe(1);
  await screenshot(page, 'game-friend-interaction');
  await confirm.getByRole('button', { name: 'Send' }).click();
  expect((await resultOf(results, 1)).res).toEqual({ errMsg: 'modifyFriendInteractiveStorage:ok' });

  const friend = await phoneOf(w, ben.username);
  await tab(friend.page, 'Notifications').click();
  const card = friend.page.getByRole('article');
  await card.waitFor();
  expect(await card.locator('.card-app').textContent()).toBe('Star Hop Friends');
  await screenshot(friend.page, 'game-system-card');

  // A system card opens its game at the start, scene 1014, with no query (spec §6.4), then back to the thread.
  await card.getByRole('button', { name: 'Enter Mini Program to view' }).click();
  await friend.page.getByRole('heading', { name: 'Star Hop Friends', level: 1 }).waitFor();
  const opened = await frameOf(friend.page, game);
  expect(
    await opened.evaluate(() =>
      (window as unknown as { wx: { getLaunchOptionsSync(): unknown } }).wx.getLaunchOptionsSync(),
    ),
  ).toMatchObject({ path: '', query: {}, scene: 1014 });
  await friend.page.goBack();
  await friend.page.getByRole('heading', { name: 'Service Notifications' }).waitFor();
  await card.getByRole('button', { name: /^More options for / }).click();
  await friend.page.getByRole('button', { name: 'Stop receiving these reminders' }).click();
  await friend.page
    .getByRole('dialog', { name: /^Stop receiving / })
    .getByRole('button', { name: 'Stop' })
    .click();
  await expect.poll(() => interactiveSetting(game.appid, ben.token)).toBe('reject');
  await page.context().close();
  await friend.page.context().close();
});
