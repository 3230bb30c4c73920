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

/**
 * What `create` and `update` answer when another app's front end is on the same origin already (that app's
 * appid): nothing is written. Two apps on one origin could script each other's frames in the phone.
 */
export interface FrontendOriginTaken {
  frontendOriginTakenBy: string;
}

/**
 * Apps. No two apps' front ends share an origin (`new URL(frontend).origin`: scheme, host and port), checked
 * in the write's own transaction, so two writes racing for one origin cannot both pass.
 */
export interface AppStore {
  /**
   * `true`: stored. `false` (storing nothing) when the appid or the sdkAppId exists already; FrontendOriginTaken
   * when another app's front end has the origin of this one's.
   */
  create(app: AppRecord): Promise<boolean | FrontendOriginTaken>;
  get(appid: string): Promise<AppRecord | undefined>;
  /** The app a calling client names by its SDKAppID. */
  getBySdkAppId(sdkAppId: number): Promise<AppRecord | undefined>;
  /** Oldest first. */
  list(): Promise<AppRecord[]>;
  /**
   * Applies the patch in one transaction: the app as it is then, undefined for an unknown appid, or
   * FrontendOriginTaken (changing nothing) when the patch's front end is on another app's front end's origin.
   */
  update(appid: string, patch: AppPatch): Promise<AppRecord | undefined | FrontendOriginTaken>;
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
