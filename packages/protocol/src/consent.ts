/**
 * The consent ledger's contracts (spec §3.3, §4, §6.1): what the platform shell asks the user, what it
 * records, and the WeChat-shaped answers of `wx.requestSubscribeMessage` and `wx.getSetting`.
 */
import type { AppType } from './apps.js';
import { type ErrorDef, Errors } from './errors.js';
import type { SysMsgType } from './games.js';

/** Template ids per `requestSubscribeMessage` call: 5 for mini programs, 3 for mini games (spec §4.1). */
export const MAX_TMPL_IDS: Record<AppType, number> = { miniprogram: 5, minigame: 3 };

/**
 * The checks of `requestSubscribeMessage`'s `tmplIds` that need no lookup, in WeChat's order, as its client
 * makes them before any request: missing, null, '' or [] is 10001; anything but an array of non-empty
 * strings 10004; more ids than the app's type allows (duplicates counted) 20003. The shell makes them on
 * what a page sent, and the server again on what the shell sent.
 */
export function tmplIdsProblem(raw: unknown, appType: AppType): ErrorDef | undefined {
  if (raw === undefined || raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0))
    return Errors.TMPL_IDS_EMPTY;
  if (!Array.isArray(raw) || !raw.every((id) => typeof id === 'string' && id !== ''))
    return Errors.TMPL_ID_INVALID;
  if (raw.length > MAX_TMPL_IDS[appType]) return Errors.TEMPLATE_COUNT_EXCEEDED;
  return undefined;
}

/** A template's status in a request's result. `ban`: the template is banned; `filter`: duplicate title. */
export type SubscribeStatus = 'accept' | 'reject' | 'ban' | 'filter';
/** What a user can decide, and what "always keep my choice" remembers. */
export type Decision = 'accept' | 'reject';
/** A template's status in `getSetting` `itemSettings`. */
export type ItemSetting = 'accept' | 'reject' | 'ban';

/** `POST /api/apps/:appid/subscriptions/prepare` body: what the mini program passed to the API. */
export interface SubscribeRequest {
  tmplIds: string[];
}

/** One template of the consent dialog the shell shows. */
export interface DialogTemplate {
  templateId: string;
  title: string;
  /** 2 one-time, 3 long-term */
  type: 2 | 3;
  keywords: { name: string; example: string }[];
  /**
   * `ask`: show it with a checkbox. Otherwise already settled without asking: `accept`/`reject` remembered
   * by "always keep my choice" (silent), `ban`, or `filter` (a duplicate title).
   */
  status: 'ask' | SubscribeStatus;
}

/** `POST /api/apps/:appid/subscriptions/prepare` answer. `silent`: nothing to ask; the shell shows no dialog. */
export interface SubscribeDialog {
  appid: string;
  appName: string;
  templates: DialogTemplate[];
  silent: boolean;
}

/** `POST /api/apps/:appid/subscriptions` body: the user's answer to the dialog. */
export interface SubscribeDecision {
  tmplIds: string[];
  /** The ids the user ticked; every other asked id is rejected. Ignored for silent (remembered) ids. */
  accepted: string[];
  /** "Always keep my choice (don't ask again)". */
  keepChoice?: boolean;
}

/** `wx.requestSubscribeMessage` success: `{errMsg: "requestSubscribeMessage:ok", [templateId]: status}`. */
export type SubscribeResult = { errMsg: 'requestSubscribeMessage:ok' } & Record<
  string,
  SubscribeStatus | string
>;

/** `wx.getSetting({withSubscriptions: true})`'s `subscriptionsSetting` (spec §4.3). */
export interface SubscriptionsSetting {
  mainSwitch: boolean;
  /** Only templates whose choice the user asked to keep. */
  itemSettings?: Record<string, ItemSetting>;
}

/** `GET /api/apps/:appid/settings` answer, as `wx.getSetting` resolves. */
export interface SettingResult {
  errMsg: 'getSetting:ok';
  subscriptionsSetting: SubscriptionsSetting;
}

/** `PUT /api/apps/:appid/settings` body: the app's settings page. */
export interface SettingChange {
  mainSwitch?: boolean;
  itemSettings?: Record<string, Decision>;
}

/** Where a consent change came from; the webhooks of a later issue turn these into events. */
export type ConsentSource = 'popup' | 'silent' | 'settings' | 'main-switch' | 'card';

/** One remembered ("always keep my choice") template on the phone's settings page. */
export interface KeptTemplate {
  templateId: string;
  /** The template's title, as the consent dialog showed it. */
  title: string;
  /** 2 one-time, 3 long-term */
  type: 2 | 3;
  setting: ItemSetting;
}

/**
 * `GET /api/apps/:appid/settings/page`: what the phone's Settings → Subscription Messages page draws. The
 * same facts as `GET /api/apps/:appid/settings` (which answers in `wx.getSetting`'s exact shape, ids only)
 * with each kept template's title; a mini game's system message types apart from the templates.
 */
export interface SettingsPage {
  appid: string;
  appName: string;
  mainSwitch: boolean;
  /** By title. */
  templates: KeptTemplate[];
  /** A mini game's SYS_MSG_TYPE_* (games.ts) that appear in `itemSettings`, with their setting. */
  systemTypes: { msgType: SysMsgType; setting: ItemSetting }[];
}
