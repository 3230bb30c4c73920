import { randomInt } from 'node:crypto';
import {
  APP_TYPES,
  ApiError,
  type AppPatchRequest,
  type AppType,
  type AppView,
  Errors,
  SDKAPPID_MAX,
  SDKAPPID_MIN,
} from '@beckon/protocol';
import type { Context } from '../context.js';
import { randomHex, sameSecret } from '../ids.js';
import type { AppPatch, AppRecord } from '../store/port.js';
import { frontendOriginTaken, frontendUrl, iconUrl } from './urls.js';

export interface NewApp {
  name: string;
  type: AppType;
  /** Apps of one owner share unionids; defaults to `default`, so one operator's apps share them. */
  owner?: string;
  /** An http(s) URL of the icon the phone shows. */
  icon?: string | null;
  /** Where the app's pages are served (see `frontendUrl`). */
  frontend?: string | null;
}

const MAX_PAGES = 500;
const PAGE_PATTERN = /^[A-Za-z0-9_\-./]{1,256}$/;

export function toAppView(app: AppRecord, withSecret = false): AppView {
  return {
    appid: app.appid,
    name: app.name,
    type: app.type,
    originalId: app.originalId,
    owner: app.owner,
    subscribeBanned: app.subscribeBanned,
    pages: app.pages,
    dailySendCap: app.dailySendCap,
    createdAt: new Date(app.createdAt).toISOString(),
    sdkAppId: app.sdkAppId,
    icon: app.icon,
    frontend: app.frontend,
    ...(withSecret ? { secret: app.secret, rtcSecretKey: app.rtcSecretKey } : {}),
  };
}

/** An app's name: trimmed, 1 to 64 characters. */
function appName(input: string | undefined): string {
  const name = typeof input === 'string' ? input.trim() : '';
  if (!name || name.length > 64) throw ApiError.invalidRequest('name must be 1 to 64 characters');
  return name;
}

export async function createApp(ctx: Context, input: NewApp): Promise<AppRecord> {
  const name = appName(input.name);
  if (!APP_TYPES.includes(input.type))
    throw ApiError.invalidRequest(`type must be one of ${APP_TYPES.join(', ')}`);
  const owner = input.owner?.trim() || 'default';
  if (owner.length > 64) throw ApiError.invalidRequest('owner must be at most 64 characters');
  const icon = input.icon == null ? null : iconUrl(input.icon);
  const frontend = input.frontend == null ? null : frontendUrl(input.frontend);
  for (;;) {
    const app: AppRecord = {
      appid: `wx${randomHex(8)}`,
      secret: randomHex(16),
      name,
      type: input.type,
      originalId: `gh_${randomHex(6)}`,
      owner,
      subscribeBanned: false,
      pages: [],
      dailySendCap: null,
      icon,
      frontend,
      createdAt: ctx.clock.now(),
      sdkAppId: newSdkAppId(),
      rtcSecretKey: newRtcSecretKey(),
    };
    const created = await ctx.store.apps.create(app);
    if (created === true) return app;
    if (created !== false) throw frontendOriginTaken(frontend!, created.frontendOriginTakenBy);
    // A taken appid (64 random bits) or SDKAppID (1 in 10^8 per app already there) is rare: draw again.
  }
}

/** A random SDKAppID in Tencent's 10-digit range (protocol SDKAPPID_MIN..SDKAPPID_MAX). */
function newSdkAppId(): number {
  return randomInt(SDKAPPID_MIN, SDKAPPID_MAX + 1);
}

/** 32 random bytes as 64 hex characters, the shape of a TRTC console key. */
function newRtcSecretKey(): string {
  return randomHex(32);
}

export async function getApp(ctx: Context, appid: string): Promise<AppRecord> {
  const app = await ctx.store.apps.get(appid);
  if (!app) throw new ApiError(Errors.APP_NOT_FOUND, `app not found: ${appid}`);
  return app;
}

/**
 * The app that `appid` and `secret` name, checked in WeChat's order for every credentialed open API
 * (token, stable_token, jscode2session): 41002 / 41004 missing, 40013 unknown appid, 40125 wrong secret.
 */
export async function checkAppCredentials(
  ctx: Context,
  appid: string | undefined,
  secret: string | undefined,
): Promise<AppRecord> {
  if (!appid) throw new ApiError(Errors.APPID_MISSING);
  if (!secret) throw new ApiError(Errors.APPSECRET_MISSING);
  const app = await ctx.store.apps.get(appid);
  if (!app) throw new ApiError(Errors.INVALID_APPID);
  if (!sameSecret(app.secret, secret)) throw new ApiError(Errors.INVALID_APPSECRET);
  return app;
}

/**
 * Edits what the operator names and shows of an app: its name, icon and front end (a field left out is kept,
 * null clears the icon or the front end). Every field is checked before any is written.
 */
export async function updateApp(ctx: Context, appid: string, patch: AppPatchRequest): Promise<AppRecord> {
  await getApp(ctx, appid);
  const changes: AppPatch = {};
  if (patch.name !== undefined) changes.name = appName(patch.name);
  if (patch.icon !== undefined) changes.icon = patch.icon === null ? null : iconUrl(patch.icon);
  if (patch.frontend !== undefined)
    changes.frontend = patch.frontend === null ? null : frontendUrl(patch.frontend);
  return write(ctx, appid, changes);
}

/** Writes an app's patch: 91003 for an unknown app, 91000 when its front end's origin is another app's. */
async function write(ctx: Context, appid: string, patch: AppPatch): Promise<AppRecord> {
  const result = await ctx.store.apps.update(appid, patch);
  if (!result) throw new ApiError(Errors.APP_NOT_FOUND, `app not found: ${appid}`);
  if ('frontendOriginTakenBy' in result)
    throw frontendOriginTaken(patch.frontend!, result.frontendOriginTakenBy);
  return result;
}

export function listApps(ctx: Context): Promise<AppRecord[]> {
  return ctx.store.apps.list();
}

/** A new secret; the old one stops working at once. Tokens already issued stay valid until they expire. */
export async function resetSecret(ctx: Context, appid: string): Promise<AppRecord> {
  await getApp(ctx, appid);
  return write(ctx, appid, { secret: randomHex(16) });
}

/**
 * A new RTC secret key: every userSig signed with the old one is refused from now on (70009). The SDKAppID
 * stays, as the clients have it built in.
 */
export async function resetRtcKey(ctx: Context, appid: string): Promise<AppRecord> {
  await getApp(ctx, appid);
  return write(ctx, appid, { rtcSecretKey: newRtcSecretKey() });
}

/** Bans or unbans the app's subscribe-message capability (43107 on send, 20005 in the consent dialog). */
export async function setSubscribeBanned(ctx: Context, appid: string, banned: boolean): Promise<AppRecord> {
  await getApp(ctx, appid);
  return write(ctx, appid, { subscribeBanned: banned });
}

/**
 * Sets the app's daily send cap (45009 once reached, counted per China day); null returns it to the default
 * (10,000,000, spec §1.3). 0 stops every send.
 */
export async function setDailySendCap(ctx: Context, appid: string, cap: number | null): Promise<AppRecord> {
  await getApp(ctx, appid);
  if (cap !== null && !(Number.isSafeInteger(cap) && cap >= 0))
    throw ApiError.invalidRequest(
      'dailySendCap must be a whole number of at least 0, or null for the default',
    );
  return write(ctx, appid, { dailySendCap: cap });
}

/** Normalises a page path as WeChat's app.json writes it: no leading slash, no query. */
export function normalisePage(page: string): string {
  return page.replace(/^\/+/, '').split('?')[0]!;
}

/** Declares the app's pages (its app.json `pages`); a send's `page` must then be one of them. */
export async function setPages(ctx: Context, appid: string, pages: string[]): Promise<AppRecord> {
  await getApp(ctx, appid);
  if (!Array.isArray(pages) || pages.length > MAX_PAGES)
    throw ApiError.invalidRequest(`pages must be a list of at most ${MAX_PAGES}`);
  const normalised = [...new Set(pages.map((p) => (typeof p === 'string' ? normalisePage(p) : '')))];
  const bad = normalised.find((p) => !PAGE_PATTERN.test(p));
  if (bad !== undefined) throw ApiError.invalidRequest(`not a page path: ${JSON.stringify(bad)}`);
  return write(ctx, appid, { pages: normalised });
}
