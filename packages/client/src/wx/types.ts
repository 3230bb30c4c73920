/**
 * The types of Beckon's `wx`, written after WeChat's official typings (`miniprogram-api-typings` and
 * `minigame-api-typings`) for every member Beckon implements; test/wx-typings checks them against both, so
 * a page written against WeChat's types compiles against these. Where those typings declare a field WeChat
 * fills only sometimes (`referrerInfo`, `hostExtraData`), Beckon's runtime gives what WeChat does then (`{}`).
 */
import type { WxFail } from '@beckon/protocol';

// biome-ignore lint/suspicious/noExplicitAny: WeChat's typings' own shape for "any object"
type AnyObject = Record<string, any>;

export interface GeneralCallbackResult {
  errMsg: string;
}

/** A failure: WeChat's `errMsg` (`"<api>:fail <reason>"`), and `errCode` where WeChat has one. */
export type FailResult = WxFail;

/**
 * The callbacks of every asynchronous wx API. (Declared as methods, as TypeScript then lets a callback
 * written for WeChat's typings, whose fail results name fields Beckon does not give, such as `errno`, be
 * passed; the success results are checked strictly through the Promise style's type.)
 */
export interface AsyncOption<S, F = FailResult> {
  success?(res: S): void;
  fail?(res: F): void;
  complete?(res: S | F): void;
}

/**
 * WeChat's Promise style: nothing when a callback is given, otherwise a Promise of the success result.
 * (The same conditional type as WeChat's typings, `any` and `void` included, so the two relate.)
 */
// biome-ignore-start lint/suspicious/noExplicitAny lint/suspicious/noConfusingVoidType: WeChat's own condition
export type PromisifySuccessResult<P, T extends AsyncOption<any, any>> = P extends { success: any }
  ? void
  : P extends { fail: any }
    ? void
    : P extends { complete: any }
      ? void
      : Promise<Parameters<Exclude<T['success'], undefined>>[0]>;
// biome-ignore-end lint/suspicious/noExplicitAny lint/suspicious/noConfusingVoidType: WeChat's own condition

// wx.login
export interface LoginSuccessResult {
  /** For the app's backend: `GET /sns/jscode2session` turns it into the openid (valid 5 minutes, once). */
  code: string;
  errMsg: string;
}
export interface LoginOption extends AsyncOption<LoginSuccessResult> {
  timeout?: number;
}

// wx.requestSubscribeMessage
/** `{errMsg: 'requestSubscribeMessage:ok', [templateId]: 'accept' | 'reject' | 'ban' | 'filter'}` */
export interface RequestSubscribeMessageSuccessResult {
  [templateId: string]: string;
  errMsg: string;
}
export interface RequestSubscribeMessageFailResult {
  /** 10001–10005, 20001–20005 (spec §3.3); none for the tap and "last call has not ended" failures. */
  errCode?: number;
  errMsg: string;
}
export interface RequestSubscribeMessageOption
  extends AsyncOption<RequestSubscribeMessageSuccessResult, RequestSubscribeMessageFailResult> {
  /** Template ids: at most 5 for a mini program, 3 for a mini game. */
  tmplIds: string[];
}

// wx.getSetting / wx.openSetting
export interface AuthSetting {
  'scope.userInfo'?: boolean;
  'scope.userLocation'?: boolean;
  'scope.WxFriendInteraction'?: boolean;
}
export interface SubscriptionsSetting {
  mainSwitch: boolean;
  /** Only the templates (and mini games' system message types) whose choice the user kept. */
  itemSettings?: AnyObject;
}
export interface GetSettingSuccessResult {
  /** Beckon asks for no scopes: always `{}`. */
  authSetting: AuthSetting;
  /** Always given (WeChat gives it for `withSubscriptions: true`; its typings declare it always). */
  subscriptionsSetting: SubscriptionsSetting;
  errMsg: string;
}
export interface GetSettingOption extends AsyncOption<GetSettingSuccessResult> {
  withSubscriptions?: boolean;
}
export type OpenSettingSuccessResult = GetSettingSuccessResult;
export interface OpenSettingOption extends AsyncOption<OpenSettingSuccessResult> {
  withSubscriptions?: boolean;
}

// wx.getLaunchOptionsSync / wx.onShow / wx.onAppShow
export interface ReferrerInfo {
  appId: string;
  extraData: AnyObject;
}
export interface HostExtraData {
  host_scene: string;
}
export interface ForwardMaterials {
  name: string;
  path: string;
  size: number;
  type: string;
}
/** How the app was opened; `onShow` listeners get the same shape each time it comes to the front. */
export interface LaunchOptionsApp {
  /** The page's path without a leading slash; '' for a mini game. */
  path: string;
  /** The page's query; a mini game opened from a card gets none (spec §6.4). */
  query: Record<string, string>;
  /** 1001 from the phone's list, 1014 from a Service Notifications card. */
  scene: number;
  /** `{}`: Beckon opens apps from no other app. */
  referrerInfo: ReferrerInfo;
  apiCategory: 'default' | 'nativeFunctionalized' | 'browseOnly' | 'embedded' | 'chatTool';
  forwardMaterials: ForwardMaterials[];
  /** `{}` */
  hostExtraData: HostExtraData;
  chatType?: 1 | 2 | 3 | 4;
  shareTicket?: string;
}
export type OnShowCallback = (options: LaunchOptionsApp) => void;
/** What `off…` takes: the listener given to `on…` (removed by identity, so any function type fits). */
export type ListenerToRemove = (res: never) => void;

// wx.navigateTo / wx.redirectTo / wx.navigateBack
/** WeChat's channel between a page and the one it opened; in Beckon it stays within the calling page. */
export interface EventChannel {
  // biome-ignore lint/suspicious/noExplicitAny: WeChat's signature
  emit(eventName: string, ...args: any): void;
  // biome-ignore lint/suspicious/noExplicitAny: WeChat's signature
  on(eventName: string, fn: (...args: any) => void): void;
  // biome-ignore lint/suspicious/noExplicitAny: WeChat's signature
  once(eventName: string, fn: (...args: any) => void): void;
  // biome-ignore lint/suspicious/noExplicitAny: WeChat's signature
  off(eventName: string, fn: (...args: any) => void): void;
}
export interface NavigateToSuccessResult {
  eventChannel: EventChannel;
  errMsg: string;
}
export interface NavigateToOption extends AsyncOption<NavigateToSuccessResult> {
  /** A page of the app: `/pages/x?id=1`, or relative to the calling page. */
  url: string;
  events?: AnyObject;
}
export interface RedirectToOption extends AsyncOption<GeneralCallbackResult> {
  url: string;
}
export interface NavigateBackOption extends AsyncOption<GeneralCallbackResult> {
  /** Pages to go back, 1 by default; more than there are goes back to the first. */
  delta?: number;
}

// wx.showModal / wx.showActionSheet
export interface ShowModalSuccessResult {
  confirm: boolean;
  cancel: boolean;
  /** What the user typed into an `editable` modal; '' otherwise. */
  content: string;
  errMsg: string;
}
export interface ShowModalOption extends AsyncOption<ShowModalSuccessResult> {
  title?: string;
  content?: string;
  showCancel?: boolean;
  cancelText?: string;
  cancelColor?: string;
  confirmText?: string;
  confirmColor?: string;
  editable?: boolean;
  placeholderText?: string;
}
export interface ShowActionSheetSuccessResult {
  tapIndex: number;
  errMsg: string;
}
export interface ShowActionSheetOption extends AsyncOption<ShowActionSheetSuccessResult> {
  /** 1 to 6 items. */
  itemList: string[];
  alertText?: string;
  itemColor?: string;
}

// wx.onTouchEnd (mini games)
export interface Touch {
  identifier: number;
  clientX: number;
  clientY: number;
  pageX: number;
  pageY: number;
  force: number;
}
export interface TouchEndResult {
  touches: Touch[];
  changedTouches: Touch[];
  timeStamp: number;
}
export type OnTouchEndCallback = (result: TouchEndResult) => void;

// Mini games: system messages, cloud storage, friend interactions
/** `{errMsg: 'requestSubscribeSystemMessage:ok', SYS_MSG_TYPE_INTERACTIVE: 'accept', …}` */
export interface RequestSubscribeSystemMessageSuccessResult {
  [msgType: string]: string;
  errMsg: string;
}
export interface RequestSubscribeSystemMessageOption
  extends AsyncOption<RequestSubscribeSystemMessageSuccessResult, RequestSubscribeMessageFailResult> {
  /** 1 to 3 of SYS_MSG_TYPE_INTERACTIVE, SYS_MSG_TYPE_RANK, SYS_MSG_TYPE_WHATS_NEW. */
  msgTypeList: string[];
}
export interface KVData {
  key: string;
  value: string;
}
export interface SetUserCloudStorageOption extends AsyncOption<GeneralCallbackResult> {
  KVDataList: KVData[];
}
export interface UserGameData {
  openid: string;
  nickname: string;
  avatarUrl: string;
  KVDataList: KVData[];
}
export interface GetFriendCloudStorageSuccessResult {
  data: UserGameData[];
  errMsg: string;
}
export interface GetFriendCloudStorageOption extends AsyncOption<GetFriendCloudStorageSuccessResult> {
  keyList: string[];
}
export interface ModifyFriendInteractiveStorageOption extends AsyncOption<GeneralCallbackResult> {
  /** '1' to '50' */
  key: string;
  /** Must be 1. */
  opNum: number;
  operation: 'add';
  /** The friend's openid in this game. */
  toUser?: string;
  /** Shown on the reminder card and in the confirmation, at most 20 characters. */
  title?: string;
  imageUrl?: string;
  imageUrlId?: string;
  /** No reminder for the friend. */
  quiet?: boolean;
}

/**
 * The `wx` a mini program's page calls. Asynchronous APIs take WeChat's `success`/`fail`/`complete`
 * callbacks, or return a Promise when given none; results and failures have WeChat's shapes and `errMsg`s.
 */
export interface Wx {
  login<T extends LoginOption = LoginOption>(option?: T): PromisifySuccessResult<T, LoginOption>;
  requestSubscribeMessage<T extends RequestSubscribeMessageOption = RequestSubscribeMessageOption>(
    option: T,
  ): PromisifySuccessResult<T, RequestSubscribeMessageOption>;
  getSetting<T extends GetSettingOption = GetSettingOption>(
    option?: T,
  ): PromisifySuccessResult<T, GetSettingOption>;
  openSetting<T extends OpenSettingOption = OpenSettingOption>(
    option?: T,
  ): PromisifySuccessResult<T, OpenSettingOption>;
  getLaunchOptionsSync(): LaunchOptionsApp;
  /** Mini games' name; the same listeners as `onAppShow`. */
  onShow(listener: OnShowCallback): void;
  /** Without a listener: removes them all. */
  offShow(listener?: ListenerToRemove): void;
  /** Mini programs' name; the same listeners as `onShow`. */
  onAppShow(listener: OnShowCallback): void;
  offAppShow(listener?: ListenerToRemove): void;
  navigateTo<T extends NavigateToOption = NavigateToOption>(
    option: T,
  ): PromisifySuccessResult<T, NavigateToOption>;
  redirectTo<T extends RedirectToOption = RedirectToOption>(
    option: T,
  ): PromisifySuccessResult<T, RedirectToOption>;
  navigateBack<T extends NavigateBackOption = NavigateBackOption>(
    option?: T,
  ): PromisifySuccessResult<T, NavigateBackOption>;
  showModal<T extends ShowModalOption = ShowModalOption>(
    option: T,
  ): PromisifySuccessResult<T, ShowModalOption>;
  showActionSheet<T extends ShowActionSheetOption = ShowActionSheetOption>(
    option: T,
  ): PromisifySuccessResult<T, ShowActionSheetOption>;
  onTouchEnd(listener: OnTouchEndCallback): void;
  offTouchEnd(listener?: ListenerToRemove): void;
  requestSubscribeSystemMessage<
    T extends RequestSubscribeSystemMessageOption = RequestSubscribeSystemMessageOption,
  >(option: T): PromisifySuccessResult<T, RequestSubscribeSystemMessageOption>;
  modifyFriendInteractiveStorage<
    T extends ModifyFriendInteractiveStorageOption = ModifyFriendInteractiveStorageOption,
  >(option: T): PromisifySuccessResult<T, ModifyFriendInteractiveStorageOption>;
  setUserCloudStorage<T extends SetUserCloudStorageOption = SetUserCloudStorageOption>(
    option: T,
  ): PromisifySuccessResult<T, SetUserCloudStorageOption>;
  getFriendCloudStorage<T extends GetFriendCloudStorageOption = GetFriendCloudStorageOption>(
    option: T,
  ): PromisifySuccessResult<T, GetFriendCloudStorageOption>;
}
