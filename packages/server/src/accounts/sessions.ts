import { createHash, randomBytes } from 'node:crypto';
import { ApiError, Errors, SESSION_TTL_SECONDS, type SignInRequest } from '@beckon/protocol';
import type { Context } from '../context.js';
import type { SessionRecord, UserRecord } from '../store/port.js';
import { decoyHash, verifyPassword } from './passwords.js';

const SESSION_TTL_MS = SESSION_TTL_SECONDS * 1000;

export interface SignedIn {
  /** The bearer token; only its sha256 is stored, so this is the one time it is seen. */
  token: string;
  session: SessionRecord;
  user: UserRecord;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Failed sign-ins are counted per lowercased username and per client address. The Nth failure within the
 * window sets a lockout marker that lasts a window; while it stands every attempt is refused (92003), even
 * with the right password, and costs no scrypt time.
 */
function throttleKeys(username: string, address: string): string[] {
  return [`user:${username.toLowerCase()}`, `addr:${address}`];
}

/** Whether a lockout marker stands. */
async function lockedOut(ctx: Context, key: string): Promise<boolean> {
  return (await ctx.bus.hits(`signin-lockout:${key}`)) > 0;
}

/** Counts a failure; returns whether this one reached the limit (and so started a lockout). */
async function countFailure(ctx: Context, key: string): Promise<boolean> {
  const { failedSignInsPerWindow, failedSignInWindowMs } = ctx.config.limits;
  const failures = await ctx.bus.hit(`signin-failures:${key}`, failedSignInWindowMs);
  if (failures < failedSignInsPerWindow) return false;
  await ctx.bus.hit(`signin-lockout:${key}`, failedSignInWindowMs);
  return failures > failedSignInsPerWindow;
}

/**
 * Checks the password and opens a session. An unknown username and a wrong password give the same error
 * (92002) after the same scrypt work, so neither the answer nor its timing tells which names exist.
 */
export async function signIn(ctx: Context, input: SignInRequest, address: string): Promise<SignedIn> {
  const keys = throttleKeys(input.username, address);
  for (const key of keys) if (await lockedOut(ctx, key)) throw new ApiError(Errors.TOO_MANY_SIGN_INS);

  const user = await ctx.store.accounts.getUserByName(input.username);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash()));
  if (!user || !ok) {
    let overLimit = false;
    for (const key of keys) overLimit = (await countFailure(ctx, key)) || overLimit;
    // Concurrent failures can pass the lockout check together; the ones past the limit say so.
    throw new ApiError(overLimit ? Errors.TOO_MANY_SIGN_INS : Errors.WRONG_CREDENTIALS);
  }

  const token = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const session: SessionRecord = {
    tokenHash: hashToken(token),
    userId: user.id,
    createdAt: now,
    expiresAt: now + SESSION_TTL_MS,
  };
  await ctx.store.accounts.createSession(session);
  return { token, session, user };
}

/** The user behind a bearer token, or 92004 when it is missing, unknown or expired. */
export async function resolveSession(
  ctx: Context,
  token: string | undefined,
): Promise<{ user: UserRecord; session: SessionRecord }> {
  if (!token) throw new ApiError(Errors.SESSION_INVALID);
  const session = await ctx.store.accounts.getSession(hashToken(token));
  if (!session) throw new ApiError(Errors.SESSION_INVALID);
  if (ctx.clock.now() >= session.expiresAt) {
    await ctx.store.accounts.deleteSession(session.tokenHash);
    throw new ApiError(Errors.SESSION_INVALID);
  }
  const user = await ctx.store.accounts.getUser(session.userId);
  if (!user) throw new ApiError(Errors.SESSION_INVALID);
  return { user, session };
}

export async function signOut(ctx: Context, session: SessionRecord): Promise<void> {
  await ctx.store.accounts.deleteSession(session.tokenHash);
}
