import type { AppType } from '@beckon/protocol';

export interface AppRecord {
  appid: string;
  secret: string;
  name: string;
  type: AppType;
  originalId: string;
  owner: string;
  subscribeBanned: boolean;
  pages: string[];
  /** Sends per day (China time) before 45009; null: the server's default (10,000,000). */
  dailySendCap: number | null;
  /** The icon the phone shows (an http(s) URL), or null. */
  icon: string | null;
  /** Where the app's pages are served (an http(s) URL whose path ends in `/`), or null: no pages. */
  frontend: string | null;
  /** ms since epoch */
  createdAt: number;
  /** Calling: the app's SDKAppID (unique across apps, never changes) and the key its userSigs are signed with. */
  sdkAppId: number;
  rtcSecretKey: string;
}

export type AppPatch = Partial<
  Pick<
    AppRecord,
    'name' | 'secret' | 'subscribeBanned' | 'pages' | 'dailySendCap' | 'rtcSecretKey' | 'icon' | 'frontend'
  >
>;

export interface AppStore {
  /** Returns false (and stores nothing) when the appid or the sdkAppId exists already. */
  create(app: AppRecord): Promise<boolean>;
  get(appid: string): Promise<AppRecord | undefined>;
  /** The app a calling client names by its SDKAppID. */
  getBySdkAppId(sdkAppId: number): Promise<AppRecord | undefined>;
  /** Oldest first. */
  list(): Promise<AppRecord[]>;
  update(appid: string, patch: AppPatch): Promise<AppRecord | undefined>;
}

/** `token`: from GET /cgi-bin/token; `stable`: from POST /cgi-bin/stable_token. Separate namespaces. */
export type TokenFamily = 'token' | 'stable';

export interface TokenRecord {
  token: string;
  appid: string;
  family: TokenFamily;
  issuedAt: number;
  /** Natural end of life: issuedAt + 7200 s. Past it, using the token gives 42001. */
  expiresAt: number;
  /** Cut short when superseded; past it (and before expiresAt) the token gives 40001. */
  validUntil: number;
}

export interface IssueOptions {
  /**
   * Compare-and-set: issue only if the family's latest token is still this one (null: the family has none).
   * Omit to issue unconditionally.
   */
  expectedLatest?: string | null;
  /** Cut the validity of the family's other live tokens to at most this instant. */
  othersValidUntil?: number;
  /** Forget this family's tokens that expired before this instant (housekeeping). */
  forgetExpiredBefore?: number;
}

export interface TokenStore {
  find(token: string): Promise<TokenRecord | undefined>;
  /** The most recently issued token of the family, live or not. */
  latest(appid: string, family: TokenFamily): Promise<TokenRecord | undefined>;
  /** One transaction; returns false (and changes nothing) when `expectedLatest` no longer holds. */
  issue(next: TokenRecord, options?: IssueOptions): Promise<boolean>;
}
