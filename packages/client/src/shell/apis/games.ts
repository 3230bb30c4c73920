import {
  CLOUD_STORAGE_MAX_KEY_BYTES,
  CLOUD_STORAGE_MAX_KEYS,
  CLOUD_STORAGE_MAX_KV_BYTES,
  type FriendInteraction,
  type KVData,
  WX_FAIL,
  wxOk,
} from '@beckon/protocol';
import type { Call, WITHDRAWN, WxResult } from './call.js';
import { failure, fromPlatform } from './fail.js';
import { enter } from './gate.js';

const bytes = (text: string) => new TextEncoder().encode(text).length;

/** `wx.setUserCloudStorage({KVDataList})`: the player's keys in this game (a score drives rank reminders). */
export async function setUserCloudStorage(call: Call): Promise<WxResult> {
  const { api, args, http } = call;
  const list = args.KVDataList;
  const isKV = (kv: unknown): kv is KVData =>
    typeof kv === 'object' &&
    kv !== null &&
    typeof (kv as KVData).key === 'string' &&
    typeof (kv as KVData).value === 'string';
  if (!Array.isArray(list) || !list.every(isKV))
    throw failure(
      api,
      'parameter error: parameter.KVDataList should be Array of {key: String, value: String}',
    );
  if (list.length > CLOUD_STORAGE_MAX_KEYS)
    throw failure(api, `KVDataList holds more than ${CLOUD_STORAGE_MAX_KEYS} keys`);
  for (const { key, value } of list) {
    if (key === '' || bytes(key) > CLOUD_STORAGE_MAX_KEY_BYTES)
      throw failure(api, `key must be 1 to ${CLOUD_STORAGE_MAX_KEY_BYTES} bytes`);
    if (bytes(key) + bytes(value) > CLOUD_STORAGE_MAX_KV_BYTES)
      throw failure(api, `key and value must be at most ${CLOUD_STORAGE_MAX_KV_BYTES} bytes together`);
  }
  try {
    await http.setCloudStorage(list.map(({ key, value }) => ({ key, value })));
  } catch (err) {
    throw fromPlatform(api, err);
  }
  return { errMsg: wxOk(api) };
}

/** `wx.getFriendCloudStorage({keyList})`: the player's and their friends' keys in this game. */
export async function getFriendCloudStorage(call: Call): Promise<WxResult> {
  const { api, args, http } = call;
  const keyList = args.keyList;
  if (!Array.isArray(keyList) || !keyList.every((key) => typeof key === 'string'))
    throw failure(api, 'parameter error: parameter.keyList should be Array of String');
  try {
    const { data } = await http.friendCloudStorage(keyList);
    return { errMsg: wxOk(api), data };
  } catch (err) {
    throw fromPlatform(api, err);
  }
}

const INTERACTION_KEY = /^(?:[1-9]|[1-4][0-9]|50)$/;
const MAX_INTERACTION_TITLE = 20;

/** The arguments of modifyFriendInteractiveStorage, with WeChat's codes (its typings list them). */
function interactionOf({ api, args }: Call): FriendInteraction {
  if (typeof args.key !== 'string' || !INTERACTION_KEY.test(args.key))
    throw failure(api, 'invalid key', -17008);
  if (args.operation !== 'add') throw failure(api, 'invalid operation', -17009);
  if (args.opNum !== 1) throw failure(api, 'invalid opNum', -17010);
  if (typeof args.toUser !== 'string' || args.toUser === '') throw failure(api, 'invalid toUser', -17007);
  const title = args.title ?? '';
  if (typeof title !== 'string' || [...title].length > MAX_INTERACTION_TITLE)
    throw failure(
      api,
      `parameter error: title should be a String of at most ${MAX_INTERACTION_TITLE} characters`,
    );
  return {
    key: args.key,
    opNum: 1,
    operation: 'add',
    toUser: args.toUser,
    ...(title ? { title } : {}),
    ...(args.quiet === true ? { quiet: true } : {}),
  };
}

/**
 * `wx.modifyFriendInteractiveStorage` (spec §6.5): the user confirms in the phone's dialog, then one
 * interaction is recorded, which reminds the friend unless `quiet`. Cancelled is `fail cancel`.
 */
export async function modifyFriendInteractiveStorage(call: Call): Promise<WxResult> {
  const { api, app, http, shell } = call;
  const interaction = interactionOf(call);
  enter(call, { notInFront: failure(api, WX_FAIL.NOT_IN_FRONT), tapOnly: false });
  let confirmed: boolean | typeof WITHDRAWN;
  try {
    // The friend's name for the confirmation, from the game's view of the player's friends.
    const { data } = await http.friendCloudStorage([]).catch((err) => Promise.reject(fromPlatform(api, err)));
    const friend = data.find((player) => player.openid === interaction.toUser);
    if (!friend) throw failure(api, 'not a friend', -17006);
    confirmed = await shell.dialog(app, 'friendInteraction', {
      app: app.app,
      friend: { openid: friend.openid, nickname: friend.nickname, avatarUrl: friend.avatarUrl },
      title: interaction.title ?? '',
      imageUrl: typeof call.args.imageUrl === 'string' ? call.args.imageUrl : '',
      quiet: interaction.quiet === true,
    });
  } finally {
    shell.release(app);
  }
  if (confirmed !== true) throw failure(api, WX_FAIL.CANCEL);
  try {
    await http.interact(interaction);
  } catch (err) {
    throw fromPlatform(api, err);
  }
  return { errMsg: wxOk(api) };
}
