import { Errors, type FriendInteraction, interactionProblem, WX_FAIL, wxOk } from '@beckon/protocol';
import type { Call, WITHDRAWN, WxResult } from './call.js';
import { failure, fromPlatform } from './fail.js';
import { enter } from './gate.js';

/**
 * `wx.setUserCloudStorage({KVDataList})`: the player's keys in this game (a score drives rank reminders).
 * The server checks the list (WeChat's sizes) and answers in the API's shape.
 */
export async function setUserCloudStorage({ api, args, http }: Call): Promise<WxResult> {
  try {
    await http.setCloudStorage(args.KVDataList);
  } catch (err) {
    throw fromPlatform(api, err);
  }
  return { errMsg: wxOk(api) };
}

/** `wx.getFriendCloudStorage({keyList})`: the player's and their friends' keys in this game. */
export async function getFriendCloudStorage({ api, args, http }: Call): Promise<WxResult> {
  const keyList = args.keyList;
  // The route takes the keys comma-separated: a key holding a comma could not be asked for.
  if (!Array.isArray(keyList) || !keyList.every((key) => typeof key === 'string' && !key.includes(',')))
    throw failure(api, 'parameter error: parameter.keyList should be Array of String');
  try {
    const { data } = await http.friendCloudStorage(keyList);
    return { errMsg: wxOk(api), data };
  } catch (err) {
    throw fromPlatform(api, err);
  }
}

/**
 * `wx.modifyFriendInteractiveStorage` (spec §6.5): the player confirms in the phone's dialog, which names the
 * friend (from the game's friend list), then one interaction is recorded, reminding the friend unless
 * `quiet`. Cancelled is `fail cancel`.
 */
export async function modifyFriendInteractiveStorage(call: Call): Promise<WxResult> {
  const { api, args, app, http, shell } = call;
  const problem = interactionProblem(args);
  if (problem) throw failure(api, `parameter error: ${problem}`);
  const interaction = args as unknown as FriendInteraction;
  enter(call, { notInFront: failure(api, WX_FAIL.NOT_IN_FRONT), tapOnly: false });
  let confirmed: boolean | typeof WITHDRAWN;
  try {
    // No keys: the player and the friends who play.
    const { data } = await http.friendCloudStorage([]).catch((err) => Promise.reject(fromPlatform(api, err)));
    const friend = data.find((player, i) => i > 0 && player.openid === interaction.toUser);
    if (!friend) throw failure(api, Errors.NOT_A_PLAYING_FRIEND.message);
    confirmed = await shell.dialog(app, 'friendInteraction', {
      app: app.app,
      friend: { openid: friend.openid, nickname: friend.nickname, avatarUrl: friend.avatarUrl },
      title: interaction.title ?? '',
      imageUrl: typeof args.imageUrl === 'string' ? args.imageUrl : '',
      quiet: interaction.quiet === true,
    });
  } finally {
    shell.release(app);
  }
  if (confirmed !== true) throw failure(api, WX_FAIL.CANCEL);
  const { key, opNum, operation, toUser, title, quiet } = interaction;
  try {
    await http.interact({
      key,
      opNum,
      operation,
      toUser,
      ...(title ? { title } : {}),
      ...(quiet ? { quiet } : {}),
    });
  } catch (err) {
    throw fromPlatform(api, err);
  }
  return { errMsg: wxOk(api) };
}
