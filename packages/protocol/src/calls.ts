/**
 * Calling contracts shared by the server, the CLI and the SDKs: the RTC credentials each app has (SDKAppID
 * and secret key, spec calling.md §1.7) and the userID rule (seed 002, `login({userID, userSig})`).
 */

/**
 * SDKAppIDs Beckon hands out: random 10-digit numbers in Tencent's own range (1400000000 and up), so they fit
 * wherever a client expects one, including the 32-bit field of Tencent's SDKs. Unique per server.
 */
export const SDKAPPID_MIN = 1_400_000_000;
export const SDKAPPID_MAX = 1_499_999_999;

export function isSdkAppId(n: unknown): n is number {
  return Number.isSafeInteger(n) && (n as number) >= SDKAPPID_MIN && (n as number) <= SDKAPPID_MAX;
}

/** The RTC secret key: 64 lowercase hex characters, like the console's; used as is (not hex-decoded). */
export const RTC_SECRET_KEY_PATTERN = /^[0-9a-f]{64}$/;

/** Tencent IM's userID limit: 32 bytes (error 7003); the seed's charset makes a byte a character. */
export const USER_ID_MAX_LENGTH = 32;
/** userID: letters (a-z, A-Z), digits, hyphens and underscores only (seed 002, `login`), 1 to 32 long. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export function isUserId(s: unknown): s is string {
  return typeof s === 'string' && USER_ID_PATTERN.test(s);
}

/** Longest userSig lifetime a Beckon app issues: 50 years, Tencent's documented maximum. */
export const USERSIG_MAX_EXPIRE_SECONDS = 50 * 365 * 86_400;

/** `POST /admin/usersig`: a development userSig, signed by the server with the app's RTC secret key. */
export interface UserSigRequest {
  sdkAppId: number;
  userId: string;
  /** Lifetime in seconds; default USERSIG_DEFAULT_EXPIRE_SECONDS (180 days). */
  expire?: number;
}

export interface IssuedUserSig {
  sdkAppId: number;
  userId: string;
  /** Lifetime in seconds, from `issuedAt`. */
  expire: number;
  /** ISO time the sig was signed at (the server's clock). */
  issuedAt: string;
  userSig: string;
}
