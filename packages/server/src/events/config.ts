import {
  ApiError,
  ENCODING_AES_KEY_PATTERN,
  Errors,
  PUSH_FORMATS,
  PUSH_MODES,
  PUSH_TOKEN_PATTERN,
  type PushConfig,
  type PushConfigView,
  type PushFormat,
  type PushMode,
} from '@beckon/protocol';
import { getApp } from '../apps/service.js';
import type { Context } from '../context.js';
import type { PushConfigRecord } from '../store/port.js';
import { verifyPushUrl } from './verify.js';

/** The admin API's body. `encodingAESKey`: omitted keeps the stored key, null removes it. */
export interface PushConfigInput {
  url: string;
  token: string;
  encodingAESKey?: string | null;
  format?: PushFormat;
  mode?: PushMode;
}

const MAX_URL = 1024;

function invalid(detail: string): ApiError {
  return ApiError.because(Errors.PUSH_CONFIG_INVALID, `${detail}`);
}

/** Checks a configuration as WeChat's console does (spec §5.1), field by field, naming the first bad one. */
export function checkPushConfig(input: PushConfigInput, storedKey: string | null = null): PushConfig {
  const { url, token } = input;
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL) {
    throw invalid(`url must be an http:// or https:// URL of at most ${MAX_URL} characters`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(`url is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalid('url must start with http:// or https://');
  }
  if (parsed.username || parsed.password || parsed.hash) {
    throw invalid('url must not carry credentials or a #fragment');
  }
  if (typeof token !== 'string' || !PUSH_TOKEN_PATTERN.test(token)) {
    throw invalid('token must be 3 to 32 letters and digits');
  }
  const format = input.format ?? 'json';
  if (!PUSH_FORMATS.includes(format)) throw invalid(`format must be one of ${PUSH_FORMATS.join(', ')}`);
  const mode = input.mode ?? 'plaintext';
  if (!PUSH_MODES.includes(mode)) throw invalid(`mode must be one of ${PUSH_MODES.join(', ')}`);
  const key = input.encodingAESKey === undefined ? storedKey : input.encodingAESKey || null;
  if (key !== null && !ENCODING_AES_KEY_PATTERN.test(key)) {
    throw invalid('encodingAESKey must be 43 characters of base64 (letters, digits, + and /)');
  }
  if (key === null && mode !== 'plaintext') throw invalid(`encodingAESKey is required in ${mode} mode`);
  return { url, token, encodingAESKey: key, format, mode };
}

export function toPushConfigView(appid: string, c: PushConfigRecord | undefined): PushConfigView {
  if (!c) return { appid, enabled: false };
  return {
    appid,
    enabled: true,
    url: c.url,
    token: c.token,
    encodingAESKeyTail: c.encodingAESKey === null ? null : c.encodingAESKey.slice(-4),
    format: c.format,
    mode: c.mode,
    verifiedAt: new Date(c.verifiedAt).toISOString(),
  };
}

/** `GET /admin/apps/:appid/push`. */
export async function getPushConfig(ctx: Context, appid: string): Promise<PushConfigView> {
  await getApp(ctx, appid);
  return toPushConfigView(appid, await ctx.store.push.getConfig(appid));
}

/**
 * `PUT /admin/apps/:appid/push`: checks the configuration, then the URL (spec §5.1), and only then keeps
 * it: a configuration that fails either leaves the previous one (or none) in place.
 */
export async function setPushConfig(
  ctx: Context,
  appid: string,
  input: PushConfigInput,
  options: { timeoutMs?: number } = {},
): Promise<PushConfigView> {
  await getApp(ctx, appid);
  const stored = await ctx.store.push.getConfig(appid);
  const config = checkPushConfig(input, stored?.encodingAESKey ?? null);
  await verifyPushUrl(config, { now: ctx.clock.now(), ...options });
  const now = ctx.clock.now();
  const record: PushConfigRecord = { appid, ...config, verifiedAt: now, updatedAt: now };
  await ctx.store.push.setConfig(record);
  return toPushConfigView(appid, record);
}

/** `DELETE /admin/apps/:appid/push`: no more events; the pending ones fail ("push disabled"). */
export async function disablePush(ctx: Context, appid: string): Promise<PushConfigView> {
  await getApp(ctx, appid);
  await ctx.store.push.deleteConfig(appid);
  return { appid, enabled: false };
}
