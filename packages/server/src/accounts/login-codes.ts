import { randomBytes } from 'node:crypto';
import { ApiError, type Code2SessionResponse, Errors, LOGIN_CODE_TTL_SECONDS } from '@beckon/protocol';
import { checkAppCredentials, getApp } from '../apps/service.js';
import type { Context } from '../context.js';
import { randomString } from '../ids.js';
import { openidFor, unionidFor } from './openids.js';

const CODE_TTL_MS = LOGIN_CODE_TTL_SECONDS * 1000;
const CODE_LENGTH = 32;

/**
 * `wx.login` for a signed-in user inside app `appid`: a single-use code valid for 5 minutes. It also records
 * the user as one of the app's users with a fresh session_key, so from now on the app's openid for the user
 * resolves (`userForOpenid`), and `jscode2session` returns that session_key.
 */
export async function issueLoginCode(ctx: Context, userId: string, appid: string): Promise<string> {
  const app = await getApp(ctx, appid);
  const now = ctx.clock.now();
  const [openid, unionid] = await Promise.all([
    openidFor(ctx, app.appid, userId),
    unionidFor(ctx, app.owner, userId),
  ]);
  await ctx.store.accounts.saveAppUser({
    appid: app.appid,
    userId,
    openid,
    unionid,
    sessionKey: randomBytes(16).toString('base64'),
    createdAt: now,
  });
  const code = randomString(CODE_LENGTH);
  await ctx.store.accounts.createLoginCode({
    code,
    appid: app.appid,
    userId,
    createdAt: now,
    expiresAt: now + CODE_TTL_MS,
    usedAt: null,
  });
  return code;
}

export interface Code2SessionQuery {
  appid?: string | undefined;
  secret?: string | undefined;
  js_code?: string | undefined;
  grant_type?: string | undefined;
}

/**
 * `GET /sns/jscode2session` (spec §1.2), checks in WeChat's order: 40002 grant_type, 41002 / 41004 appid /
 * secret missing, 40013 unknown appid, 40125 wrong secret, 40029 code missing, unknown, expired or issued
 * for another app, 40163 code already used, 45011 over the per-user minute quota. A code is spent only by a
 * call that succeeds, so a probe with the wrong app or over quota leaves it usable by its own app.
 */
export async function code2Session(ctx: Context, q: Code2SessionQuery): Promise<Code2SessionResponse> {
  if (q.grant_type !== 'authorization_code') throw new ApiError(Errors.INVALID_GRANT_TYPE);
  const app = await checkAppCredentials(ctx, q.appid, q.secret);

  if (!q.js_code) throw new ApiError(Errors.INVALID_CODE);
  const now = ctx.clock.now();
  const code = await ctx.store.accounts.getLoginCode(q.js_code);
  if (!code || code.appid !== app.appid || now >= code.expiresAt) throw new ApiError(Errors.INVALID_CODE);
  if (code.usedAt !== null) throw new ApiError(Errors.CODE_BEEN_USED);

  const minute = Math.floor(now / 60_000);
  const calls = await ctx.bus.hit(`quota:jscode2session:${code.userId}:${minute}`, 60_000);
  if (calls > ctx.config.limits.code2SessionPerUserPerMinute) throw new ApiError(Errors.MINUTE_QUOTA);

  // The read above is advisory; this is the one atomic step, so of concurrent callers exactly one wins.
  const used = await ctx.store.accounts.useLoginCode(code.code, now);
  if (used.status !== 'ok') throw new ApiError(Errors.CODE_BEEN_USED);

  const appUser = await ctx.store.accounts.getAppUser(app.appid, code.userId);
  if (!appUser) throw new ApiError(Errors.SYSTEM_ERROR);
  return { openid: appUser.openid, session_key: appUser.sessionKey, unionid: appUser.unionid };
}
