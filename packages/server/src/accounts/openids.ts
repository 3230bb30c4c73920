import { createHmac } from 'node:crypto';
import type { Context } from '../context.js';
import { randomHex } from '../ids.js';
import type { UserRecord } from '../store/port.js';

/**
 * openids and unionids are derived, not stored-and-looked-up: an HMAC under an instance secret of
 * `openid:<appid>:<user id>` (or `unionid:<owner>:<user id>`). They are stable for the pair, differ between
 * apps (owners), and say nothing about the user id without the secret. 28 characters like WeChat's.
 */
const SECRET_SETTING = 'openid-secret';

const secrets = new WeakMap<Context, Promise<string>>();

/** Read once per context: it never changes after the first start of an instance. */
function instanceSecret(ctx: Context): Promise<string> {
  let secret = secrets.get(ctx);
  if (!secret) {
    secret = ctx.store.settings.getOrInit(SECRET_SETTING, randomHex(32));
    secrets.set(ctx, secret);
    // A failed read is not cached: the next caller tries again.
    secret.catch(() => secrets.delete(ctx));
  }
  return secret;
}

async function derive(ctx: Context, label: string): Promise<string> {
  const mac = createHmac('sha256', await instanceSecret(ctx))
    .update(label)
    .digest('base64url');
  return `o${mac.slice(0, 27)}`;
}

/** The user's openid in app `appid`. */
export function openidFor(ctx: Context, appid: string, userId: string): Promise<string> {
  return derive(ctx, `openid:${appid}:${userId}`);
}

/** The user's unionid across the apps of `owner`. */
export function unionidFor(ctx: Context, owner: string, userId: string): Promise<string> {
  return derive(ctx, `unionid:${owner}:${userId}`);
}

/**
 * The user an app knows as `openid`; undefined until that user has called `wx.login` in that app (an openid
 * is only ever handed out through a login code, so one the app never received resolves to nobody).
 */
export async function userForOpenid(
  ctx: Context,
  appid: string,
  openid: string,
): Promise<UserRecord | undefined> {
  const appUser = await ctx.store.accounts.getAppUserByOpenid(appid, openid);
  return appUser && ctx.store.accounts.getUser(appUser.userId);
}
