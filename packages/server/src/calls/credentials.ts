/**
 * RTC credentials: the userSigs an app's clients sign in to calling with (spec calling.md §1.7). Signed and
 * checked with the app's RTC secret key, in Tencent's TLS-sig v2 format (protocol usersig.ts); refusals carry
 * Tencent IM's codes (protocol errors.ts, 70xxx).
 */
import {
  ApiError,
  type ErrorDef,
  Errors,
  type IssuedUserSig,
  isUserId,
  USERSIG_MAX_EXPIRE_SECONDS,
  type UserSigRequest,
} from '@beckon/protocol';
import {
  genUserSig,
  USERSIG_DEFAULT_EXPIRE_SECONDS,
  type UserSigFailure,
  verifyUserSig,
} from '@beckon/protocol/node';
import type { Context } from '../context.js';
import type { AppRecord } from '../store/port.js';

export type UserSigVerdict =
  | { ok: true; app: AppRecord; userId: string /** ms since epoch */; expiresAt: number }
  | { ok: false; error: ErrorDef };

/** Each way a sig can fail, as the code the client is told. */
const REFUSALS: Record<UserSigFailure, ErrorDef> = {
  malformed: Errors.USERSIG_MALFORMED,
  // A PrivateMapKey is a room ticket, not a sign-in ticket: unreadable as a userSig.
  userbuf_not_expected: Errors.USERSIG_MALFORMED,
  sdkappid_mismatch: Errors.USERSIG_OTHER_APP,
  identifier_mismatch: Errors.USERSIG_USER_MISMATCH,
  expired: Errors.USERSIG_EXPIRED,
  signature_mismatch: Errors.USERSIG_FORGED,
};

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Whether `sig` lets `userId` sign in to the app with `sdkAppId`, now (the context's clock). Checked in
 * this order: the userID's charset (7003), the app (70020), then the sig itself (70003 unreadable, 70014
 * made for another app, 70013 for another user, 70001 expired, 70009 not signed with this app's key).
 */
export async function verifyAppUserSig(
  ctx: Context,
  sdkAppId: number,
  userId: string,
  sig: string,
): Promise<UserSigVerdict> {
  if (!isUserId(userId)) return { ok: false, error: Errors.INVALID_USER_ID };
  const app = await ctx.store.apps.getBySdkAppId(sdkAppId);
  if (!app) return { ok: false, error: Errors.SDKAPPID_NOT_FOUND };
  const check = verifyUserSig({
    sdkAppId,
    secretKey: app.rtcSecretKey,
    userId,
    userSig: sig,
    now: seconds(ctx.clock.now()),
  });
  if (!check.ok) return { ok: false, error: REFUSALS[check.reason] };
  return { ok: true, app, userId, expiresAt: check.expiresAt * 1000 };
}

/**
 * A userSig for the app's user, signed now with the app's RTC secret key. For development (`beckon usersig`,
 * `POST /admin/usersig`): in production the app's own backend signs them with the same key.
 */
export async function issueUserSig(ctx: Context, request: UserSigRequest): Promise<IssuedUserSig> {
  const { sdkAppId, userId } = request;
  const expire = request.expire ?? USERSIG_DEFAULT_EXPIRE_SECONDS;
  if (!isUserId(userId)) throw ApiError.because(Errors.INVALID_USER_ID, `${JSON.stringify(userId)}`);
  if (!Number.isSafeInteger(expire) || expire < 1 || expire > USERSIG_MAX_EXPIRE_SECONDS)
    throw ApiError.invalidRequest(
      `expire must be a whole number of seconds from 1 to ${USERSIG_MAX_EXPIRE_SECONDS}`,
    );
  const app = Number.isSafeInteger(sdkAppId) ? await ctx.store.apps.getBySdkAppId(sdkAppId) : undefined;
  if (!app) throw ApiError.because(Errors.SDKAPPID_NOT_FOUND, `${sdkAppId}`);
  const now = seconds(ctx.clock.now());
  const userSig = genUserSig({ sdkAppId, secretKey: app.rtcSecretKey, userId, expireSeconds: expire, now });
  return { sdkAppId, userId, expire, issuedAt: new Date(now * 1000).toISOString(), userSig };
}
