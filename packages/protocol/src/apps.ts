/** App kinds, as `beckon app create --type` and the admin API name them. */
export const APP_TYPES = ['miniprogram', 'minigame'] as const;
export type AppType = (typeof APP_TYPES)[number];

/** appid: `wx` + 16 lowercase hex characters, as WeChat's. */
export const APPID_PATTERN = /^wx[0-9a-f]{16}$/;
/** AppSecret: 32 lowercase hex characters. */
export const SECRET_PATTERN = /^[0-9a-f]{32}$/;

/** An app as the admin API and `beckon app ... --json` show it. */
export interface AppView {
  appid: string;
  name: string;
  type: AppType;
  /** The app's original id (`gh_` + 12 hex), used as ToUserName in event pushes. */
  originalId: string;
  /** Apps of one owner share unionids (spec §1.2). */
  owner: string;
  subscribeBanned: boolean;
  /** Declared pages; when non-empty, a send's `page` must be one of them (41030). */
  pages: string[];
  /** Sends per day (China time) before 45009; null: the server's default (DEFAULT_DAILY_SEND_CAP). */
  dailySendCap: number | null;
  /** The icon the phone shows (an http(s) URL of an image), or null for the app's initial. */
  icon: string | null;
  /**
   * Where the app's pages are served (an http(s) URL; its origin is the only one the phone's shell takes
   * wx calls from for this app), or null: the app has no pages; the catalogue still lists it (its cards
   * need its name and icon) but the phone's home does not.
   */
  frontend: string | null;
  createdAt: string;
  /** The app's SDKAppID for calling (see SDKAPPID_MIN in calls.ts): public, clients sign in with it. */
  sdkAppId: number;
  /** Present only where the secret is meant to be seen: on create, show and reset. */
  secret?: string;
  /** The RTC secret key userSigs are signed with (64 hex); shown where `secret` is. */
  rtcSecretKey?: string;
}

/** URLs of icons and front ends: http or https, at most this long. */
export const APP_URL_MAX_LENGTH = 2048;

/** `PATCH /admin/apps/:appid` body: what the operator edits; a field left out is kept, null clears it. */
export interface AppPatchRequest {
  name?: string;
  icon?: string | null;
  frontend?: string | null;
}

/** An app as the phone lists it (`GET /api/apps`, `GET /api/apps/:appid`): public facts only. */
export interface AppListing {
  appid: string;
  name: string;
  type: AppType;
  icon: string | null;
  frontend: string | null;
  /** The page a launch from the list opens: the first declared page, or '' for the front end itself. */
  entryPage: string;
  /** Declared pages (navigateTo is refused to any other when there are some). */
  pages: string[];
}

/** `GET /api/apps` answer: every app, by name. */
export interface AppCatalogue {
  apps: AppListing[];
}
