import {
  type AccessTokenResponse,
  ApiError,
  Errors,
  FORCE_REFRESH_INTERVAL_SECONDS,
  FORCE_REFRESH_PER_DAY,
  TOKEN_LENGTH,
  TOKEN_OVERLAP_SECONDS,
  TOKEN_TTL_SECONDS,
} from '@beckon/protocol';
import { chinaDay } from '../clock.js';
import type { Context } from '../context.js';
import { newAccessToken } from '../ids.js';
import type { AppRecord, TokenFamily, TokenRecord } from '../store/port.js';
import { checkAppCredentials } from './service.js';

const TTL_MS = TOKEN_TTL_SECONDS * 1000;
const OVERLAP_MS = TOKEN_OVERLAP_SECONDS * 1000;
const DAY_MS = 86_400_000;
/** Expired tokens are kept a day so that using one says 42001 (expired) rather than 40001 (unknown). */
const KEEP_EXPIRED_MS = DAY_MS;

export interface Credentials {
  grant_type?: string | undefined;
  appid?: string | undefined;
  secret?: string | undefined;
}

/** The checks both token endpoints share, in WeChat's order. */
async function checkCredentials(ctx: Context, c: Credentials): Promise<AppRecord> {
  if (c.grant_type !== 'client_credential') throw new ApiError(Errors.INVALID_GRANT_TYPE);
  return checkAppCredentials(ctx, c.appid, c.secret);
}

async function withinQuota(
  ctx: Context,
  key: string,
  windowMs: number,
  limit: number,
  def = Errors.DAILY_QUOTA,
) {
  if ((await ctx.bus.hit(key, windowMs)) > limit) throw new ApiError(def);
}

function newRecord(ctx: Context, appid: string, family: TokenFamily): TokenRecord {
  const now = ctx.clock.now();
  return {
    token: newAccessToken(TOKEN_LENGTH),
    appid,
    family,
    issuedAt: now,
    expiresAt: now + TTL_MS,
    validUntil: now + TTL_MS,
  };
}

const response = (t: TokenRecord, now: number): AccessTokenResponse => ({
  access_token: t.token,
  expires_in: Math.floor((t.expiresAt - now) / 1000),
});

/**
 * `GET /cgi-bin/token`: a new token on every call; the previous ones stay valid for 5 more minutes at most
 * (spec §1.1.1).
 */
export async function getAccessToken(ctx: Context, c: Credentials): Promise<AccessTokenResponse> {
  const app = await checkCredentials(ctx, c);
  const now = ctx.clock.now();
  await withinQuota(
    ctx,
    `quota:token:${app.appid}:${chinaDay(now)}`,
    DAY_MS,
    ctx.config.limits.tokenCallsPerDay,
  );
  const next = newRecord(ctx, app.appid, 'token');
  await ctx.store.tokens.issue(next, {
    othersValidUntil: now + OVERLAP_MS,
    forgetExpiredBefore: now - KEEP_EXPIRED_MS,
  });
  return response(next, now);
}

/**
 * `POST /cgi-bin/stable_token` (spec §1.1.2): the same token while it has more than 5 minutes left, a new
 * one in its last 5 minutes (the old one still valid until it expires), and with `force_refresh` a new one
 * that ends the old at once — at most once per 30 s (a call inside the window just returns the current
 * token) and 20 times a day (45009).
 */
export async function getStableAccessToken(
  ctx: Context,
  c: Credentials & { force_refresh?: boolean | undefined },
): Promise<AccessTokenResponse> {
  const app = await checkCredentials(ctx, c);
  const { limits } = ctx.config;
  const now = ctx.clock.now();
  await withinQuota(
    ctx,
    `quota:stable:${app.appid}:${Math.floor(now / 60_000)}`,
    60_000,
    limits.stableTokenCallsPerMinute,
    Errors.MINUTE_QUOTA,
  );
  await withinQuota(ctx, `quota:stable:${app.appid}:${chinaDay(now)}`, DAY_MS, limits.stableTokenCallsPerDay);

  if (
    c.force_refresh &&
    (await ctx.bus.lock(`stable-force:${app.appid}`, FORCE_REFRESH_INTERVAL_SECONDS * 1000))
  ) {
    await withinQuota(ctx, `quota:stable-force:${app.appid}:${chinaDay(now)}`, DAY_MS, FORCE_REFRESH_PER_DAY);
    const next = newRecord(ctx, app.appid, 'stable');
    await ctx.store.tokens.issue(next, { othersValidUntil: now, forgetExpiredBefore: now - KEEP_EXPIRED_MS });
    return response(next, now);
  }

  // Compare-and-set: when several callers find the token due for renewal at once, one renews and the
  // others read what it issued.
  for (let attempt = 0; attempt < 5; attempt++) {
    const latest = await ctx.store.tokens.latest(app.appid, 'stable');
    if (latest && latest.validUntil > now && latest.expiresAt - now > OVERLAP_MS)
      return response(latest, now);
    const next = newRecord(ctx, app.appid, 'stable');
    const issued = await ctx.store.tokens.issue(next, {
      expectedLatest: latest?.token ?? null,
      forgetExpiredBefore: now - KEEP_EXPIRED_MS,
    });
    if (issued) return response(next, now);
  }
  throw new ApiError(Errors.SYSTEM_ERROR);
}

const TOKEN_SHAPE = new RegExp(`^[A-Za-z0-9_-]{${TOKEN_LENGTH}}$`);

/**
 * The app an access token belongs to, for business APIs (spec §1.1.3): 41001 missing; 40014 not a token
 * at all; 40001 unknown or superseded; 42001 expired.
 */
export async function authenticate(ctx: Context, token: string | undefined): Promise<AppRecord> {
  if (!token) throw new ApiError(Errors.ACCESS_TOKEN_MISSING);
  if (!TOKEN_SHAPE.test(token)) throw new ApiError(Errors.INVALID_ACCESS_TOKEN);
  const record = await ctx.store.tokens.find(token);
  if (!record) throw new ApiError(Errors.INVALID_CREDENTIAL);
  const now = ctx.clock.now();
  if (now >= record.expiresAt) throw new ApiError(Errors.ACCESS_TOKEN_EXPIRED);
  if (now >= record.validUntil) throw new ApiError(Errors.INVALID_CREDENTIAL);
  const app = await ctx.store.apps.get(record.appid);
  if (!app) throw new ApiError(Errors.INVALID_CREDENTIAL);
  return app;
}
