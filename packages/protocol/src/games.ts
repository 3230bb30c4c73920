/**
 * Mini games' system messages (spec §4.5, §6.5; seed 001's "social interaction reminders" and "game update
 * reminders"): subscribed once and kept, sent by the platform itself (never by the developer's backend) into
 * the same Service Notifications thread. And what drives them: friends' interactions, reported scores
 * (rank overtaking), and published game updates.
 */
import { type ErrorDef, Errors } from './errors.js';

/** The system message types a mini game may request, at most 3 per call (spec §4.5). */
export const SYS_MSG_TYPES = [
  'SYS_MSG_TYPE_INTERACTIVE',
  'SYS_MSG_TYPE_RANK',
  'SYS_MSG_TYPE_WHATS_NEW',
] as const;
export type SysMsgType = (typeof SYS_MSG_TYPES)[number];
export const MAX_SYS_MSG_TYPES = 3;

export const isSysMsgType = (value: unknown): value is SysMsgType =>
  typeof value === 'string' && (SYS_MSG_TYPES as readonly string[]).includes(value);

/**
 * The checks of `requestSubscribeSystemMessage`'s `msgTypeList` that need no lookup, made by the shell on
 * what a page sent and by the server on what the shell sent: missing, null, '' or [] is 10001; anything but
 * an array of known types is 10004, and so is a list of more than 3 (counted as passed, repeats included):
 * WeChat's table for this API has no 20003 (spec §3.3), and with only three types a longer list repeats one
 * or names an unknown one.
 */
export function msgTypeListProblem(raw: unknown): ErrorDef | undefined {
  if (raw === undefined || raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0))
    return Errors.TMPL_IDS_EMPTY;
  if (!Array.isArray(raw) || !raw.every(isSysMsgType) || raw.length > MAX_SYS_MSG_TYPES)
    return Errors.TMPL_ID_INVALID;
  return undefined;
}

/**
 * What each type is called where the user decides about it: the shell's dialog and the settings page
 * (WeChat's 好友互动提醒, 排行榜超越提醒, 游戏更新提醒).
 */
export const SYS_MSG_TYPE_NAMES: Record<SysMsgType, { en: string; zh: string }> = {
  SYS_MSG_TYPE_INTERACTIVE: { en: 'Friend interaction reminders', zh: '好友互动提醒' },
  SYS_MSG_TYPE_RANK: { en: 'Friend overtaking reminders', zh: '排行榜超越提醒' },
  SYS_MSG_TYPE_WHATS_NEW: { en: 'Game update reminders', zh: '游戏更新提醒' },
};

/**
 * The title of each type's card, and its rows' labels in order. Cards are platform-defined, in English
 * (`lang` en_US), with the values as plain text.
 */
export const SYS_MSG_CARDS = {
  SYS_MSG_TYPE_INTERACTIVE: { title: 'Friend interaction', labels: ['From', 'Message'] },
  SYS_MSG_TYPE_RANK: { title: 'Friend overtook you', labels: ['Friend', 'Their score', 'Your score'] },
  SYS_MSG_TYPE_WHATS_NEW: { title: 'Game update', labels: ['Game', "What's new", 'Version'] },
} as const satisfies Record<SysMsgType, { title: string; labels: readonly string[] }>;

/** A system type's standing for one user of one game: `accept` is permanent; a `reject` may be asked again. */
export type SystemStatus = 'accept' | 'reject';

/**
 * One system message type in the dialog: `ask` (show it with a switch), or settled without asking:
 * `accept` (accepted once, permanent) or `reject` (switched off in the settings page or from a card: only
 * the settings page turns it on again). A type the user rejected in an earlier dialog is asked again.
 */
export interface SystemDialogType {
  msgType: SysMsgType;
  /** English, as SYS_MSG_TYPE_NAMES (the shell may show `zh` from there instead). */
  name: string;
  status: 'ask' | SystemStatus;
}

/** `POST /api/apps/:appid/system-subscriptions/prepare` answer: what the shell's dialog shows. */
export interface SystemSubscribeDialog {
  appid: string;
  appName: string;
  /** Each distinct requested type, in request order. */
  types: SystemDialogType[];
  /** Nothing to ask: every type is settled (the shell shows no dialog and posts the answer at once). */
  silent: boolean;
}

/** `POST /api/apps/:appid/system-subscriptions/prepare` body: what the game passed to the API. */
export interface SystemSubscribeRequest {
  msgTypeList: SysMsgType[];
}

/** `POST /api/apps/:appid/system-subscriptions` body. */
export interface SystemSubscribeDecision {
  msgTypeList: SysMsgType[];
  /** The types the user switched on; every other asked type is rejected. Ignored for settled types. */
  accepted: SysMsgType[];
}

/**
 * `wx.requestSubscribeSystemMessage` success (spec §4.5): `{errMsg, SYS_MSG_TYPE_INTERACTIVE: 'accept', …}`,
 * one key per distinct requested type.
 */
export type SystemSubscribeResult = { errMsg: 'requestSubscribeSystemMessage:ok' } & Record<string, string>;

/**
 * The phrases a game update may carry, at most 3, as WeChat's console offers them (spec §6.5), each with
 * the English the phone shows for `en` cards.
 */
export const WHATS_NEW_PHRASES = {
  优化性能: 'Better performance',
  修复bug: 'Bug fixes',
  新英雄上线: 'New heroes',
  新皮肤上线: 'New skins',
  新增道具: 'New items',
  新增场景: 'New scenes',
  新增关卡: 'New levels',
  周年庆活动开启: 'Anniversary event',
  圣诞活动开启: 'Christmas event',
  新年活动开启: 'New Year event',
  春节活动开启: 'Spring Festival event',
  端午活动开启: 'Dragon Boat Festival event',
  中秋活动开启: 'Mid-Autumn Festival event',
  特殊节日开启: 'Holiday event',
  活动开启: 'New event',
  推出新功能: 'New features',
  推出新玩法: 'New gameplay',
  开启新赛季: 'New season',
} as const;
export type WhatsNewPhrase = keyof typeof WHATS_NEW_PHRASES;
export const MAX_WHATS_NEW_PHRASES = 3;

/**
 * `POST /beckon/game-updates?access_token=` (the app's backend, a mini game's token only: 48001 for a mini
 * program's) and `POST /admin/apps/:appid/game-updates` (the operator, `beckon game publish`): a published
 * version, reminded to every subscribed player at most once per game per China day.
 */
export interface GameUpdateRequest {
  /** 1–32 of letters, digits, `.`, `_`, `+`, `-`, starting with a letter or digit, e.g. `1.4.0`; once per game. */
  version: string;
  /** 1–3 distinct keys of WHATS_NEW_PHRASES. */
  phrases: WhatsNewPhrase[];
}

export const GAME_VERSION_PATTERN = /^[0-9A-Za-z][0-9A-Za-z._+-]{0,31}$/;

export interface GameUpdateView {
  updateId: string;
  appid: string;
  version: string;
  phrases: WhatsNewPhrase[];
  /** ISO 8601 */
  publishedAt: string;
  /** Players reminded by this update (subscribed, main switch on, not reminded by this game today). */
  reminded: number;
}

/** `GET /beckon/game-updates` and `GET /admin/apps/:appid/game-updates`: the newest GAME_UPDATES_LISTED. */
export interface GameUpdateList {
  updates: GameUpdateView[];
}
export const GAME_UPDATES_LISTED = 100;

/** One key of a player's cloud storage (`wx.setUserCloudStorage`): a score is `{"wxgame":{"score":n,…}}`. */
export interface KVData {
  key: string;
  value: string;
}

/**
 * `wx.setUserCloudStorage` limits, as WeChat's: at most 128 keys per player and game, key 1–128 bytes,
 * key + value ≤ 1 KB (UTF-8 bytes). A call sets at most CLOUD_STORAGE_MAX_KEYS keys.
 */
export const CLOUD_STORAGE_MAX_KEYS = 128;
export const CLOUD_STORAGE_MAX_KEY_BYTES = 128;
export const CLOUD_STORAGE_MAX_KV_BYTES = 1024;

/** `PUT /api/apps/:appid/cloud-storage` body (`wx.setUserCloudStorage`); answers `{errMsg: 'setUserCloudStorage:ok'}`. */
export interface CloudStorageRequest {
  KVDataList: KVData[];
}

/** One player in `wx.getFriendCloudStorage`'s answer: their openid in this game, and the asked keys they have. */
export interface FriendUserGameData {
  openid: string;
  /** The player's display name on the platform. */
  nickname: string;
  /** Always '' (the platform has no avatars). */
  avatarUrl: string;
  KVDataList: KVData[];
}

/**
 * `GET /api/apps/:appid/friend-cloud-storage?keyList=a,b` answer (`wx.getFriendCloudStorage`): the player
 * first, then their friends who play the game (called `wx.login` in it or stored data), by nickname, each
 * with the asked keys they have. `keyList` absent or empty asks for no keys: the players alone, each with
 * `KVDataList: []` (how the phone lists the friends a player may interact with).
 */
export interface FriendCloudStorage {
  errMsg: 'getFriendCloudStorage:ok';
  data: FriendUserGameData[];
}

/**
 * A rank score as `wx.setUserCloudStorage` stores it for rank lists (spec §1.5):
 * `{"wxgame":{"score":n,"update_time":t}}`; undefined for any other value (it takes part in no ranking).
 */
export function wxgameScore(value: string): number | undefined {
  try {
    const score = (JSON.parse(value) as { wxgame?: { score?: unknown } } | null)?.wxgame?.score;
    return typeof score === 'number' && Number.isFinite(score) ? score : undefined;
  } catch {
    return undefined;
  }
}

/** `wx.modifyFriendInteractiveStorage` keys are '1'…'50'; a title is at most 20 characters. */
export const INTERACTIVE_KEY_MAX = 50;
export const INTERACTION_TITLE_MAX_LENGTH = 20;

/**
 * `POST /api/apps/:appid/interactions` body (`wx.modifyFriendInteractiveStorage`, spec §6.5): adds 1 to the
 * friend's interactive value for `key` and sends them one interaction reminder unless `quiet`. Answers
 * `{errMsg: 'modifyFriendInteractiveStorage:ok'}`.
 */
export interface FriendInteraction {
  /** '1'…'50' */
  key: string;
  /** Must be 1. */
  opNum: number;
  /** Must be 'add'. */
  operation: 'add';
  /** The friend's openid in this game (as getFriendCloudStorage gave it). */
  toUser: string;
  /** The card's message, at most 20 characters (the shell's confirmation shows it too). */
  title?: string;
  quiet?: boolean;
}

/**
 * What is wrong with `wx.modifyFriendInteractiveStorage`'s arguments, or undefined: checked by the shell
 * before it asks the player to confirm, and by the server (91000 with this message).
 */
export function interactionProblem(input: { [K in keyof FriendInteraction]?: unknown }): string | undefined {
  const { key, opNum, operation, toUser, title, quiet } = input;
  const n = typeof key === 'string' && /^[1-9][0-9]?$/.test(key) ? Number(key) : 0;
  if (n < 1 || n > INTERACTIVE_KEY_MAX) return `key must be '1' to '${INTERACTIVE_KEY_MAX}'`;
  if (opNum !== 1) return 'opNum must be 1';
  if (operation !== 'add') return "operation must be 'add'";
  if (typeof toUser !== 'string' || toUser === '') return "toUser must be a friend's openid";
  if (title !== undefined && (typeof title !== 'string' || [...title].length > INTERACTION_TITLE_MAX_LENGTH))
    return `title must be a string of at most ${INTERACTION_TITLE_MAX_LENGTH} characters`;
  if (quiet !== undefined && typeof quiet !== 'boolean') return 'quiet must be a boolean';
  return undefined;
}
