/**
 * The `wx` bridge: how a mini program's page (`@beckon/client/wx`, in a sandboxed iframe of the phone) and
 * the platform shell (`@beckon/client/shell`, the phone itself) talk, over `window.postMessage`. The page
 * only asks; the shell decides, draws every dialog outside the frame, and answers in WeChat's shapes
 * (spec/subscribe-messages.md §3.3, §4). The shell knows which app a message comes from by the frame it
 * loaded and that app's registered front-end origin, never by anything the message says.
 */

/** Marks Beckon's bridge messages among whatever else a page posts. */
export const BRIDGE_CHANNEL = 'beckon:wx';

/** The wx APIs the page forwards to the shell (the rest of `wx` answers inside the page). */
export const BRIDGE_APIS = [
  'login',
  'requestSubscribeMessage',
  'requestSubscribeSystemMessage',
  'getSetting',
  'openSetting',
  'navigateTo',
  'redirectTo',
  'navigateBack',
  'showModal',
  'showActionSheet',
  'modifyFriendInteractiveStorage',
  'setUserCloudStorage',
  'getFriendCloudStorage',
] as const;
export type BridgeApi = (typeof BRIDGE_APIS)[number];

/**
 * Page → shell: one wx call. `args` is the call's object without its callbacks (`success`, `fail`,
 * `complete`), as structured-clone data. `id` is the page's own counter, echoed in the reply.
 */
export interface BridgeCall {
  channel: typeof BRIDGE_CHANNEL;
  kind: 'call';
  id: number;
  api: BridgeApi;
  args: Record<string, unknown>;
}

/** What a wx API fails with: WeChat's `errMsg` (`"<api>:fail <reason>"`), and `errCode` where WeChat has one. */
export interface WxFail {
  errMsg: string;
  errCode?: number;
}

/** Shell → page: the answer to one call, success (`result.errMsg` is `"<api>:ok"`) or fail. */
export type BridgeReply =
  | { channel: typeof BRIDGE_CHANNEL; kind: 'reply'; id: number; ok: true; result: { errMsg: string } }
  | { channel: typeof BRIDGE_CHANNEL; kind: 'reply'; id: number; ok: false; result: WxFail };

/**
 * Page → shell, once its `wx` is set up: the shell then sends `show` (the page is in front). Calls made
 * before it are answered all the same.
 */
export interface BridgeReady {
  channel: typeof BRIDGE_CHANNEL;
  kind: 'ready';
}

/** Shell → page: the app came to the front (`wx.onShow`, with the launch options) or went behind it. */
export type BridgeEvent =
  | { channel: typeof BRIDGE_CHANNEL; kind: 'event'; event: 'show'; data: LaunchOptions }
  | { channel: typeof BRIDGE_CHANNEL; kind: 'event'; event: 'hide' };

export type PageToShell = BridgeCall | BridgeReady;
export type ShellToPage = BridgeReply | BridgeEvent;

/** A message that claims to be the bridge's: the first check, before origin and frame are. */
export function isBridgeMessage(data: unknown): data is { channel: typeof BRIDGE_CHANNEL; kind: string } {
  return (
    typeof data === 'object' && data !== null && (data as { channel?: unknown }).channel === BRIDGE_CHANNEL
  );
}

/**
 * Scene values (WeChat's numbering): how the app was opened. A card of Service Notifications is 1014
 * (spec §6.4); the phone's list of mini programs is 1001, WeChat's "Discover → Mini Programs" entry.
 */
export const SCENES = { HOME: 1001, SERVICE_NOTIFICATION: 1014 } as const;

/** `wx.getLaunchOptionsSync()` and `wx.onShow`'s argument. A mini game gets no query from a card (§6.4). */
export interface LaunchOptions {
  /** The page path without a leading slash (`pages/order/detail`); '' for a mini game. */
  path: string;
  query: Record<string, string>;
  scene: number;
  referrerInfo: Record<string, never>;
}

/**
 * The shell hands a page its launch options in the fragment of the URL it loads
 * (`#beckon-launch=<encodeURIComponent(JSON)>`): `getLaunchOptionsSync` answers at once, before any message.
 */
export const LAUNCH_FRAGMENT_KEY = 'beckon-launch';

/** `wx.showActionSheet`: at most this many items (WeChat's limit). */
export const MAX_ACTION_SHEET_ITEMS = 6;

/** At most this many pages stacked by `navigateTo` (WeChat's limit). */
export const MAX_PAGE_STACK = 10;

/** How long after a tap the shell still counts a call as made in that tap (the browser's activation span). */
export const TAP_WINDOW_MS = 5_000;

/** WeChat's fail reasons that carry no errCode (spec §3.3), without the `"<api>:fail "` prefix. */
export const WX_FAIL = {
  /** requestSubscribeMessage / requestSubscribeSystemMessage / openSetting outside a user's tap. */
  TAP_GESTURE: 'can only be invoked by user TAP gesture.',
  /** A second request while the first one's dialog is still open. */
  LAST_CALL_NOT_ENDED: 'last call has not ended',
  /** The user dismissed an action sheet or a friend-interaction confirmation. */
  CANCEL: 'cancel',
  NAVIGATE_BACK_FIRST_PAGE: 'cannot navigate back at first page.',
  PAGE_STACK_FULL: 'webview count limit exceed',
  /** Beckon's: a call that needs the app in front (a dialog, navigation) while it is in the background. */
  NOT_IN_FRONT: 'the app is not in front',
  /** Beckon's: a wx call on a page that no shell opened (no parent frame). */
  NO_SHELL: 'not opened by a Beckon shell',
} as const;

/** navigateTo / redirectTo to a page the app does not declare, as WeChat words it. */
export const pageNotFound = (path: string): string => `page "${path}" is not found`;

/** `"<api>:ok"` */
export const wxOk = (api: string): string => `${api}:ok`;
/** `"<api>:fail <reason>"` */
export const wxFailMsg = (api: string, reason: string): string => `${api}:fail ${reason}`;

/**
 * The URL of an app's page: the page's path resolved against the app's front end, its query appended, the
 * app's launch options in the fragment. `page` defaults to the launch's own page; a page pushed later
 * (`navigateTo`) is opened with the app's launch options all the same, as `getLaunchOptionsSync` answers
 * them on every page. A mini game has one page: its front end itself.
 */
export function pageUrl(
  frontend: string,
  launch: LaunchOptions,
  page: { path: string; query: Record<string, string> } = launch,
): string {
  // `./` keeps a path such as `javascript:…` or `//host/…` a path under the front end, never a URL of its own.
  const url = new URL(`./${page.path.replace(/^\/+/, '')}`, frontend);
  for (const [key, value] of Object.entries(page.query)) url.searchParams.set(key, value);
  url.hash = `${LAUNCH_FRAGMENT_KEY}=${encodeURIComponent(JSON.stringify(launch))}`;
  return url.toString();
}

/**
 * A wx `url` (`/pages/order/detail?id=42`, `pages/x`, `detail?id=1`) or a card's `page` as path and query.
 * Relative paths resolve against `from`, the current page's path, as WeChat's navigateTo resolves them.
 * The path stays as the URL spells it (percent-escapes undecoded): decoding `%2F%2F` or `%3A` would turn a
 * path into another site or a `javascript:` URL once it is resolved against the front end.
 */
export function parsePageUrl(url: string, from = ''): { path: string; query: Record<string, string> } {
  const [rawPath = '', rawQuery = ''] = url.split(/\?(.*)/s, 2);
  const base = `https://page.invalid/${from}`;
  const path = new URL(rawPath || from, base).pathname.replace(/^\/+/, '');
  return { path, query: Object.fromEntries(new URLSearchParams(rawQuery)) };
}
