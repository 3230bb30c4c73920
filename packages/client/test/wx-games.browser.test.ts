/**
 * Mini games in the shell: the places seed 001 lets a game raise the consent dialog (wx.onTouchEnd, the
 * callbacks of wx.showModal and wx.showActionSheet, both drawn by the phone), system message subscriptions,
 * cloud storage and a friend interaction, through the real server.
 */
import { Errors, SYS_MSG_TYPE_NAMES, WX_FAIL } from '@beckon/protocol';
import { afterEach, expect, test } from 'vitest';
import { playerClient } from '../../server/src/games/test-support/game-world.js';
import { addLibraryTemplate } from '../../server/src/test-support/harness.js';
import {
  Host,
  type MiniApp,
  newApp,
  newUser,
  type Step,
  type TestUser,
  useWxWorld,
} from './support/wx-world.js';

const w = useWxWorld();

/** tid 2001 体力恢复提醒: a game's one-time template. */
const STAMINA = 2001;

let host: Host;
afterEach(() => host?.close());

async function openedGame(user?: TestUser): Promise<{ game: MiniApp; tmpl: string }> {
  const game = await newApp(w, { type: 'minigame' });
  const tmpl = await addLibraryTemplate(w.beckon.server, game, STAMINA, [1, 2]);
  host = await Host.open(w, user ?? (await newUser(w)), [game]);
  await host.open(game);
  return { game, tmpl };
}

const subscribe = (tmplIds: string[]): Step => ({ api: 'requestSubscribeMessage', args: { tmplIds } });

test('showModal drawn by the phone; a subscribe request in its success callback raises the dialog', async () => {
  const { game, tmpl } = await openedGame();
  await host.tapWith(game, {
    api: 'showModal',
    args: {
      title: 'Out of stamina',
      content: 'Remind me when it is full?',
      confirmText: 'Yes',
      cancelColor: 'red',
    },
    andThen: subscribe([tmpl]),
  });
  await host.dialog.getByRole('button', { name: 'Yes' }).waitFor();
  const modal = (await host.requests())[0]!;
  expect(modal).toMatchObject({
    kind: 'modal',
    request: {
      title: 'Out of stamina',
      content: 'Remind me when it is full?',
      showCancel: true,
      confirmText: 'Yes',
      editable: false,
    },
  });
  expect(modal.request.cancelColor).toBeUndefined();
  await host.screenshot('wx-game-modal');
  await host.dialog.getByRole('button', { name: 'Yes' }).click();
  expect((await host.result(game, 0)).res).toEqual({
    errMsg: 'showModal:ok',
    confirm: true,
    cancel: false,
    content: '',
  });

  // The modal's tap counts for the call in its callback: the consent dialog shows.
  await host.dialog.getByRole('button', { name: 'Allow' }).waitFor();
  expect(await host.dialog.textContent()).toContain('体力恢复提醒');
  await host.screenshot('wx-game-subscribe-after-modal');
  await host.dialog.getByRole('button', { name: 'Allow' }).click();
  expect((await host.result(game, 1)).res).toEqual({
    errMsg: 'requestSubscribeMessage:ok',
    [tmpl]: 'accept',
  });

  // Cancel, and an editable modal's text.
  await host.tapWith(game, {
    api: 'showModal',
    args: { title: 'Name', editable: true, placeholderText: 'Your name' },
  });
  await host.dialog.getByRole('textbox', { name: 'Text' }).fill('<b>Ann</b>');
  await host.dialog.getByRole('button', { name: 'OK' }).click();
  expect((await host.result(game, 2)).res).toEqual({
    errMsg: 'showModal:ok',
    confirm: true,
    cancel: false,
    content: '<b>Ann</b>',
  });
  await host.tapWith(game, { api: 'showModal', args: { title: 'Quit?' } });
  await host.dialog.getByRole('button', { name: 'Cancel' }).click();
  expect((await host.result(game, 3)).res).toMatchObject({ confirm: false, cancel: true });
  expect(
    (await host.call(game, { api: 'showModal', args: { title: 'x', confirmText: 'Absolutely' } })).res,
  ).toEqual({
    errMsg: 'showModal:fail confirmText length should not larger then 4 Chinese characters',
  });
});

test("a modal's tap counts for one request in its callback, not two", async () => {
  const { game, tmpl } = await openedGame();
  // A kept accept: a request that passes the tap rule is answered at once, without a dialog.
  await host.tapWith(game, subscribe([tmpl]));
  await host.dialog.locator('#keep-choice').check();
  await host.dialog.getByRole('button', { name: 'Allow' }).click();
  expect((await host.result(game, 0)).res).toEqual({
    errMsg: 'requestSubscribeMessage:ok',
    [tmpl]: 'accept',
  });

  await host.tapWith(game, {
    api: 'showModal',
    args: { title: 'Remind me?' },
    andThen: { ...subscribe([tmpl]), andThen: subscribe([tmpl]) },
  });
  await host.dialog.getByRole('button', { name: 'OK' }).click();
  expect((await host.result(game, 1)).res).toMatchObject({ errMsg: 'showModal:ok', confirm: true });
  expect((await host.result(game, 2)).res).toEqual({
    errMsg: 'requestSubscribeMessage:ok',
    [tmpl]: 'accept',
  });
  expect((await host.result(game, 3)).res).toEqual({
    errMsg: `requestSubscribeMessage:fail ${WX_FAIL.TAP_GESTURE}`,
  });
});

test('showActionSheet: the item tapped, a request in its callback, dismissed is fail cancel, 6 items at most', async () => {
  const { game, tmpl } = await openedGame();
  await host.tapWith(game, {
    api: 'showActionSheet',
    args: { itemList: ['Later', 'Remind me'] },
    andThen: subscribe([tmpl]),
  });
  await host.screenshot('wx-game-action-sheet');
  await host.dialog.getByRole('button', { name: 'Remind me' }).click();
  expect((await host.result(game, 0)).res).toEqual({ errMsg: 'showActionSheet:ok', tapIndex: 1 });
  await host.dialog.getByRole('button', { name: 'Allow' }).click();
  expect((await host.result(game, 1)).res).toEqual({
    errMsg: 'requestSubscribeMessage:ok',
    [tmpl]: 'accept',
  });

  await host.tapWith(game, { api: 'showActionSheet', args: { itemList: ['A'] } });
  await host.dialog.getByRole('button', { name: 'Cancel' }).click();
  expect((await host.result(game, 2)).res).toEqual({ errMsg: `showActionSheet:fail ${WX_FAIL.CANCEL}` });
  const seven = ['1', '2', '3', '4', '5', '6', '7'];
  expect((await host.call(game, { api: 'showActionSheet', args: { itemList: seven } })).res).toEqual({
    errMsg: 'showActionSheet:fail parameter error: parameter.itemList should not be large than 6',
  });
});

test('wx.onTouchEnd: a request from the touch-end listener raises the dialog; 3 ids at most for a game', async () => {
  const { game, tmpl } = await openedGame();
  const frame = await host.frame(game);
  await frame.evaluate(
    (s) => {
      window.mini.onTouchEnd = s;
    },
    subscribe([tmpl]),
  );
  await host.frameLocator(game).locator('#pad').click();
  await host.dialog.getByRole('button', { name: 'Allow' }).click();
  expect((await host.result(game, 0)).res).toEqual({
    errMsg: 'requestSubscribeMessage:ok',
    [tmpl]: 'accept',
  });
  expect(await frame.evaluate(() => window.mini.touchEnds)).toBe(1);

  await frame.evaluate(
    (s) => {
      window.mini.onTouchEnd = s;
    },
    subscribe([tmpl, tmpl, tmpl, tmpl]),
  );
  await host.frameLocator(game).locator('#pad').click();
  expect((await host.result(game, 1)).res).toEqual({
    errCode: Errors.TEMPLATE_COUNT_EXCEEDED.code,
    errMsg: `requestSubscribeMessage:fail ${Errors.TEMPLATE_COUNT_EXCEEDED.message}`,
  });
});

test('requestSubscribeSystemMessage: the dialog names the types; accepted ones are kept and never asked again', async () => {
  const { game } = await openedGame();
  const types = ['SYS_MSG_TYPE_INTERACTIVE', 'SYS_MSG_TYPE_RANK'];
  await host.tapWith(game, { api: 'requestSubscribeSystemMessage', args: { msgTypeList: types } });
  await host.dialog.waitFor();
  expect(await host.dialog.textContent()).toContain(SYS_MSG_TYPE_NAMES.SYS_MSG_TYPE_INTERACTIVE.en);
  await host.screenshot('wx-game-system-dialog');
  await host.dialog.locator('input[data-type="SYS_MSG_TYPE_RANK"]').uncheck();
  await host.dialog.getByRole('button', { name: 'Allow' }).click();
  expect((await host.result(game, 0)).res).toEqual({
    errMsg: 'requestSubscribeSystemMessage:ok',
    SYS_MSG_TYPE_INTERACTIVE: 'accept',
    SYS_MSG_TYPE_RANK: 'reject',
  });

  // Asked again: only the rejected type.
  await host.tapWith(game, { api: 'requestSubscribeSystemMessage', args: { msgTypeList: types } });
  await host.dialog.waitFor();
  const asked = (await host.requests()).at(-1)!.request.types.map((t: { msgType: string }) => t.msgType);
  expect(asked).toEqual(['SYS_MSG_TYPE_RANK']);
  await host.dialog.getByRole('button', { name: 'Cancel' }).click();
  expect((await host.result(game, 1)).res).toMatchObject({
    SYS_MSG_TYPE_INTERACTIVE: 'accept',
    SYS_MSG_TYPE_RANK: 'reject',
  });

  const settings = await host.call(game, { api: 'getSetting', args: { withSubscriptions: true } });
  expect(settings.res.subscriptionsSetting).toEqual({
    mainSwitch: true,
    itemSettings: { SYS_MSG_TYPE_INTERACTIVE: 'accept', SYS_MSG_TYPE_RANK: 'reject' },
  });

  const fail = (def: typeof Errors.TMPL_IDS_EMPTY) => ({
    errCode: def.code,
    errMsg: `requestSubscribeSystemMessage:fail ${def.message}`,
  });
  expect(
    (await host.call(game, { api: 'requestSubscribeSystemMessage', args: { msgTypeList: [] } })).res,
  ).toEqual(fail(Errors.TMPL_IDS_EMPTY));
  expect(
    (
      await host.call(game, {
        api: 'requestSubscribeSystemMessage',
        args: { msgTypeList: ['SYS_MSG_TYPE_X'] },
      })
    ).res,
  ).toEqual(fail(Errors.TMPL_ID_INVALID));
});

test('requestSubscribeSystemMessage without a tap fails with the tap message', async () => {
  const game = await newApp(w, {
    type: 'minigame',
    auto: { api: 'requestSubscribeSystemMessage', args: { msgTypeList: ['SYS_MSG_TYPE_RANK'] } },
  });
  host = await Host.open(w, await newUser(w), [game]);
  await host.open(game);
  expect((await host.result(game, 0)).res).toEqual({
    errMsg: `requestSubscribeSystemMessage:fail ${WX_FAIL.TAP_GESTURE}`,
  });
  expect(await host.dialog.count()).toBe(0);
});

test('cloud storage, the friends who play, and an interaction the player confirms', async () => {
  const alice = await newUser(w, 'alice');
  const bob = await newUser(w, 'bob');
  const bobName = bob.username;
  const a = playerClient(w.beckon.server, alice);
  expect((await a.call('POST', '/api/friends', { username: bobName })).statusCode).toBe(201);
  const { game } = await openedGame(alice);
  // Bob plays the game and subscribed to interaction reminders.
  const b = playerClient(w.beckon.server, bob);
  expect((await b.call('POST', `/api/apps/${game.appid}/login`)).statusCode).toBe(200);
  const types = ['SYS_MSG_TYPE_INTERACTIVE'];
  expect((await b.subscribe(game.appid, { msgTypeList: types, accepted: types })).statusCode).toBe(200);

  const score = JSON.stringify({ wxgame: { score: 42, update_time: 1_767_240_000 } });
  expect(
    (
      await host.call(game, {
        api: 'setUserCloudStorage',
        args: { KVDataList: [{ key: 'score', value: score }] },
      })
    ).res,
  ).toEqual({ errMsg: 'setUserCloudStorage:ok' });
  const board = await host.call(game, { api: 'getFriendCloudStorage', args: { keyList: ['score'] } });
  expect(board.res.errMsg).toBe('getFriendCloudStorage:ok');
  expect(board.res.data.map((p: { nickname: string }) => p.nickname)).toEqual([alice.username, bobName]);
  expect(board.res.data[0].KVDataList).toEqual([{ key: 'score', value: score }]);
  const bobOpenid = board.res.data[1].openid as string;

  // The shell lists the friends who play asking for no keys.
  const friendLists: string[] = [];
  host.page.on('request', (r) => {
    if (r.url().includes('/friend-cloud-storage')) friendLists.push(new URL(r.url()).search);
  });
  await host.tapWith(game, {
    api: 'modifyFriendInteractiveStorage',
    args: { key: '1', opNum: 1, operation: 'add', toUser: bobOpenid, title: 'Sent you stamina' },
  });
  await host.dialog.waitFor();
  expect(await host.dialog.textContent()).toContain(`Sent you stamina with ${bobName}?`);
  await host.screenshot('wx-game-interaction');
  await host.dialog.getByRole('button', { name: 'Confirm' }).click();
  expect((await host.result(game, 2)).res).toEqual({ errMsg: 'modifyFriendInteractiveStorage:ok' });
  expect(friendLists).toEqual(['']);
  const [card] = await b.inbox();
  expect(card).toMatchObject({ kind: 'system', templateId: 'SYS_MSG_TYPE_INTERACTIVE' });

  // Cancelled: nothing sent. Not a friend, bad arguments: refused before any dialog.
  await host.tapWith(game, {
    api: 'modifyFriendInteractiveStorage',
    args: { key: '2', opNum: 1, operation: 'add', toUser: bobOpenid },
  });
  await host.dialog.getByRole('button', { name: 'Cancel' }).click();
  expect((await host.result(game, 3)).res).toEqual({
    errMsg: `modifyFriendInteractiveStorage:fail ${WX_FAIL.CANCEL}`,
  });
  expect(await b.inbox()).toHaveLength(1);
  const stranger = { key: '1', opNum: 1, operation: 'add', toUser: 'o-not-a-friend' };
  expect((await host.call(game, { api: 'modifyFriendInteractiveStorage', args: stranger })).res).toEqual({
    errMsg: `modifyFriendInteractiveStorage:fail ${Errors.NOT_A_PLAYING_FRIEND.message}`,
  });
  expect(
    (await host.call(game, { api: 'modifyFriendInteractiveStorage', args: { ...stranger, opNum: 2 } })).res,
  ).toEqual({
    errMsg: 'modifyFriendInteractiveStorage:fail parameter error: opNum must be 1',
  });
  expect((await host.requests()).filter((r) => r.kind === 'friendInteraction')).toHaveLength(2);
});
