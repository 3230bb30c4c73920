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
  createdAt: string;
  /** The app's SDKAppID for calling (see SDKAPPID_MIN in calls.ts): public, clients sign in with it. */
  sdkAppId: number;
  /** Present only where the secret is meant to be seen: on create, show and reset. */
  secret?: string;
  /** The RTC secret key userSigs are signed with (64 hex); shown where `secret` is. */
  rtcSecretKey?: string;
}
