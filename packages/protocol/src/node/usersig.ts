/**
 * userSig, Tencent's TLS-sig v2 (spec calling.md §1.7): the ticket a calling client signs in with. Generated
 * by the developer's server with the app's secret key; verified by Beckon's signalling server. Byte for byte
 * what Tencent's `tls-sig-api-v2` generators produce, so userSigs work in both directions.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';

/** Tencent's default lifetime: 180 days. */
export const USERSIG_DEFAULT_EXPIRE_SECONDS = 86_400 * 180;
/** A real userSig is ~200 characters; anything far longer is refused before inflating it. */
const USERSIG_MAX_LENGTH = 4_096;
const DOC_MAX_BYTES = 4_096;

export interface GenUserSigInput {
  /** The TRTC / IM application id, a positive integer. */
  sdkAppId: number;
  /** The application's secret key (the console's hex string, used as is, not decoded). */
  secretKey: string;
  userId: string;
  /** Lifetime from `now`; default 180 days. */
  expireSeconds?: number;
  /** Signing time in seconds since the epoch; default the current time. For tests. */
  now?: number;
}

const isPositiveInteger = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;

/** `TLS.sig`: base64 of HMAC-SHA256 over the four fields, one `name:value\n` line each, in this order. */
function sign(secretKey: string, userId: string, sdkAppId: number, time: number, expire: number): Buffer {
  const content =
    `TLS.identifier:${userId}\n` +
    `TLS.sdkappid:${sdkAppId}\n` +
    `TLS.time:${time}\n` +
    `TLS.expire:${expire}\n`;
  return createHmac('sha256', secretKey).update(content, 'utf8').digest();
}

// Tencent's URL-safe base64 variant: '+' → '*', '/' → '-', '=' → '_'.
const toTlsBase64 = (b64: string) => b64.replaceAll('+', '*').replaceAll('/', '-').replaceAll('=', '_');
const fromTlsBase64 = (s: string) => s.replaceAll('*', '+').replaceAll('-', '/').replaceAll('_', '=');

/**
 * A userSig for `userId`, valid `expireSeconds` from now.
 *
 * @example
 * const userSig = genUserSig({ sdkAppId: 1400000000, secretKey: process.env.TRTC_SECRET!, userId: 'alice' });
 */
export function genUserSig(input: GenUserSigInput): string {
  const { sdkAppId, secretKey, userId } = input;
  const expire = input.expireSeconds ?? USERSIG_DEFAULT_EXPIRE_SECONDS;
  const time = input.now ?? Math.floor(Date.now() / 1000);
  if (!isPositiveInteger(sdkAppId)) throw new TypeError('sdkAppId must be a positive integer');
  if (typeof secretKey !== 'string' || secretKey === '') throw new TypeError('secretKey is required');
  if (typeof userId !== 'string' || userId === '') throw new TypeError('userId is required');
  if (!isPositiveInteger(expire)) throw new TypeError('expireSeconds must be a positive integer');
  if (!isPositiveInteger(time)) throw new TypeError('now must be a positive integer (seconds)');
  // Key order matters for byte-identical output: Tencent's Node generator writes exactly this object.
  const doc = {
    'TLS.ver': '2.0',
    'TLS.identifier': userId,
    'TLS.sdkappid': sdkAppId,
    'TLS.time': time,
    'TLS.expire': expire,
    'TLS.sig': sign(secretKey, userId, sdkAppId, time, expire).toString('base64'),
  };
  return toTlsBase64(deflateSync(Buffer.from(JSON.stringify(doc), 'utf8')).toString('base64'));
}

export const USERSIG_FAILURES = [
  /** Not base64, not zlib, not JSON, or a field missing or of the wrong type. */
  'malformed',
  'sdkappid_mismatch',
  'identifier_mismatch',
  'expired',
  /** A PrivateMapKey (carries `TLS.userbuf`), not a userSig. */
  'userbuf_not_expected',
  'signature_mismatch',
] as const;
export type UserSigFailure = (typeof USERSIG_FAILURES)[number];

/** A passing check's `issuedAt` and `expiresAt` are seconds since the epoch. */
export type UserSigCheck =
  | { ok: true; userId: string; issuedAt: number; expiresAt: number }
  | { ok: false; reason: UserSigFailure };

export interface VerifyUserSigInput {
  sdkAppId: number;
  secretKey: string;
  /** Who the client claims to be: the sig must name exactly this user. */
  userId: string;
  userSig: string;
  /** Seconds since the epoch; default the current time. */
  now?: number;
}

interface SigDoc {
  'TLS.ver'?: unknown;
  'TLS.identifier'?: unknown;
  'TLS.sdkappid'?: unknown;
  'TLS.time'?: unknown;
  'TLS.expire'?: unknown;
  'TLS.userbuf'?: unknown;
  'TLS.sig'?: unknown;
}

function readDoc(userSig: string): SigDoc | null {
  if (typeof userSig !== 'string' || userSig.length === 0 || userSig.length > USERSIG_MAX_LENGTH) return null;
  if (!/^[A-Za-z0-9*_-]+$/.test(userSig)) return null;
  try {
    // maxOutputLength: an attacker's zlib bomb stops at a few KB.
    const json = inflateSync(Buffer.from(fromTlsBase64(userSig), 'base64'), {
      maxOutputLength: DOC_MAX_BYTES,
    });
    const doc: unknown = JSON.parse(json.toString('utf8'));
    return doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as SigDoc) : null;
  } catch {
    return null;
  }
}

/**
 * Checks a userSig the way Tencent's verifiers do (tls-sig-api-v2-golang `VerifyUserSig`): the app, then the
 * user, then the expiry (`now > time + expire`), then the HMAC recomputed from the sig's own fields. Accepts
 * any generator's JSON layout (Python's spaces and key order too), since only the fields are signed.
 *
 * @example
 * const check = verifyUserSig({ sdkAppId, secretKey, userId: 'alice', userSig });
 * if (!check.ok) throw new Error(`bad userSig: ${check.reason}`);
 */
export function verifyUserSig(input: VerifyUserSigInput): UserSigCheck {
  const doc = readDoc(input.userSig);
  if (!doc) return { ok: false, reason: 'malformed' };
  const userId = doc['TLS.identifier'];
  const sdkAppId = doc['TLS.sdkappid'];
  const time = doc['TLS.time'];
  const expire = doc['TLS.expire'];
  const sig = doc['TLS.sig'];
  if (
    doc['TLS.ver'] !== '2.0' ||
    typeof userId !== 'string' ||
    !Number.isSafeInteger(sdkAppId) ||
    !Number.isSafeInteger(time) ||
    !Number.isSafeInteger(expire) ||
    typeof sig !== 'string'
  )
    return { ok: false, reason: 'malformed' };
  if (sdkAppId !== input.sdkAppId) return { ok: false, reason: 'sdkappid_mismatch' };
  if (userId !== input.userId) return { ok: false, reason: 'identifier_mismatch' };
  const issuedAt = time as number;
  const expiresAt = issuedAt + (expire as number);
  const now = input.now ?? Math.floor(Date.now() / 1000);
  if (now > expiresAt) return { ok: false, reason: 'expired' };
  if (doc['TLS.userbuf'] !== undefined) return { ok: false, reason: 'userbuf_not_expected' };
  const expected = sign(input.secretKey, userId, sdkAppId as number, issuedAt, expire as number);
  const given = Buffer.from(sig, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'signature_mismatch' };
  return { ok: true, userId, issuedAt, expiresAt };
}
