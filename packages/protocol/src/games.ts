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
 * The checks of `requestSubscribeSystemMessage`'s `msgTypeList` that need no lookup: missing, null, '' or []
 * is 10001; anything but an array of SYS_MSG_TYPES, or more than MAX_SYS_MSG_TYPES of them, 10004 (WeChat
 * lists no 20003 for this API, spec §3.3).
 */
export function msgTypeListProblem(raw: unknown): ErrorDef | undefined {
  if (raw === undefined || raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0))
    return Errors.TMPL_IDS_EMPTY;
  if (!Array.isArray(raw) || !raw.every(isSysMsgType) || raw.length > MAX_SYS_MSG_TYPES)
    return Errors.TMPL_ID_INVALID;
  return undefined;
}

/** One system message type in the dialog: `ask`, or already `accept`ed (permanent once accepted). */
export interface SystemDialogType {
  msgType: SysMsgType;
  status: 'ask' | 'accept' | 'reject';
}

/** `POST /api/apps/:appid/system-subscriptions/prepare` answer: what the shell's dialog shows. */
export interface SystemSubscribeDialog {
  appid: string;
  appName: string;
  types: SystemDialogType[];
  /** Nothing to ask: every type is already accepted. */
  silent: boolean;
}

/** `POST /api/apps/:appid/system-subscriptions` body. */
export interface SystemSubscribeDecision {
  msgTypeList: SysMsgType[];
  /** The types the user switched on; every other asked type is rejected. */
  accepted: SysMsgType[];
}

/** `wx.requestSubscribeSystemMessage` success: `{errMsg, SYS_MSG_TYPE_INTERACTIVE: 'accept', …}`. */
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
 * `POST /beckon/game-updates?access_token=` (the app's backend) and `POST /admin/apps/:appid/game-updates`
 * (the operator, `beckon game publish`): a published version, reminded to every subscribed player at most
 * once per game per day.
 */
export interface GameUpdateRequest {
  /** 1–32 characters, e.g. `1.4.0`. */
  version: string;
  /** 1–3 of WHATS_NEW_PHRASES' keys. */
  phrases: WhatsNewPhrase[];
}

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

/** One key of a player's cloud storage (`wx.setUserCloudStorage`): a score is `{"wxgame":{"score":n,…}}`. */
export interface KVData {
  key: string;
  value: string;
}

/** `wx.setUserCloudStorage` limits, as WeChat's: at most 128 keys per player and game, key ≤ 128 bytes, key+value ≤ 1 KB. */
export const CLOUD_STORAGE_MAX_KEYS = 128;
export const CLOUD_STORAGE_MAX_KEY_BYTES = 128;
export const CLOUD_STORAGE_MAX_KV_BYTES = 1024;

/** `wx.getFriendCloudStorage` answer: the player and their friends who play the game. */
export interface FriendCloudStorage {
  data: { openid: string; nickname: string; avatarUrl: string; KVDataList: KVData[] }[];
}

/** `wx.modifyFriendInteractiveStorage` arguments (spec §6.5): one interaction reminder unless `quiet`. */
export interface FriendInteraction {
  /** '1'…'50' */
  key: string;
  /** Must be 1. */
  opNum: number;
  /** Must be 'add'. */
  operation: 'add';
  /** The friend's openid in this game. */
  toUser: string;
  /** Shown on the reminder card, at most 20 characters (the shell's confirmation shows it too). */
  title?: string;
  quiet?: boolean;
}
