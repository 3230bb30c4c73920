import { createHmac } from 'node:crypto';
import type { IceServer } from '@beckon/protocol';

/**
 * The ICE servers a logged-in client is handed for its RTCPeerConnection (issue 5 §2). Nothing configured
 * means an empty list: peers on one host or one LAN connect on their host candidates without STUN, and a
 * default public STUN server would make every call of a self-hosted server reach out to a third party.
 */
export interface IceConfig {
  /** `BECKON_ICE_SERVERS`: handed to every client as they are (STUN, or TURN with fixed credentials). */
  servers: IceServer[];
  /** `BECKON_TURN_URLS` + `BECKON_TURN_SECRET`: TURN with time-limited credentials minted per login. */
  turn: TurnRest | undefined;
}

/** coturn's `--use-auth-secret` (the TURN REST API draft, draft-uberti-behave-turn-rest-00). */
export interface TurnRest {
  urls: string[];
  /** coturn's `static-auth-secret`. */
  secret: string;
  /** How long a minted credential stays valid (`BECKON_TURN_TTL`, default a day as the draft advises). */
  ttlSeconds: number;
}

export const DEFAULT_TURN_TTL_SECONDS = 86_400;
/** Longer-lived credentials are static ones in all but name: put those in BECKON_ICE_SERVERS. */
export const MAX_TURN_TTL_SECONDS = 30 * 86_400;

export const noIce: IceConfig = { servers: [], turn: undefined };

/** The static servers, then (when configured) one TURN entry with credentials for `userId` from `nowMs`. */
export function iceServersFor(config: { ice: IceConfig }, userId: string, nowMs: number): IceServer[] {
  const { servers, turn } = config.ice;
  const list = servers.map((s) => ({ ...s }));
  if (!turn) return list;
  const username = `${Math.floor(nowMs / 1000) + turn.ttlSeconds}:${userId}`;
  return [...list, { urls: [...turn.urls], username, credential: turnRestCredential(turn.secret, username) }];
}

/**
 * The password coturn expects for a REST username (`<expiry unix seconds>:<user>`):
 * base64(HMAC-SHA1(static-auth-secret, username)).
 */
export function turnRestCredential(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

const URL_SCHEMES = /^(stun|stuns|turn|turns):\S+$/;
const TURN_SCHEMES = /^turns?:\S+$/;

/** Reads the ICE settings from the environment; a bad value stops the start with a message naming it. */
export function iceConfigFromEnv(env: NodeJS.ProcessEnv): IceConfig {
  return { servers: staticServers(env.BECKON_ICE_SERVERS), turn: turnRest(env) };
}

function staticServers(raw: string | undefined): IceServer[] {
  if (!raw?.trim()) return [];
  const fail = (why: string): never => {
    throw new Error(
      `BECKON_ICE_SERVERS must be a JSON array of {urls, username?, credential?} (RTCIceServer): ${why}`,
    );
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    return fail(`not JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(parsed)) return fail('not an array');
  return parsed.map((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      return fail(`[${i}] is not an object`);
    const { urls, username, credential, ...rest } = entry as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length) return fail(`[${i}] has unknown key ${JSON.stringify(extra[0])}`);
    const list = typeof urls === 'string' ? [urls] : urls;
    if (!Array.isArray(list) || list.length === 0)
      return fail(`[${i}].urls must be a URL or a non-empty array`);
    for (const url of list)
      if (typeof url !== 'string' || !URL_SCHEMES.test(url))
        return fail(`[${i}].urls: ${JSON.stringify(url)} is not a stun:, stuns:, turn: or turns: URL`);
    if (username !== undefined && typeof username !== 'string')
      return fail(`[${i}].username must be a string`);
    if (credential !== undefined && typeof credential !== 'string')
      return fail(`[${i}].credential must be a string`);
    // Browsers refuse a TURN URL without both (InvalidAccessError): say so at start, not in every call.
    if (
      list.some((u) => TURN_SCHEMES.test(u as string)) &&
      (username === undefined || credential === undefined)
    )
      return fail(`[${i}] is a TURN server: it needs username and credential`);
    return {
      urls: urls as string | string[],
      ...(username !== undefined ? { username } : {}),
      ...(credential !== undefined ? { credential } : {}),
    };
  });
}

function turnRest(env: NodeJS.ProcessEnv): TurnRest | undefined {
  const urls = (env.BECKON_TURN_URLS ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  const secret = env.BECKON_TURN_SECRET || undefined;
  if (!urls.length && !secret) {
    if (env.BECKON_TURN_TTL)
      throw new Error('BECKON_TURN_TTL is set but BECKON_TURN_URLS and BECKON_TURN_SECRET are not');
    return undefined;
  }
  if (!urls.length)
    throw new Error('BECKON_TURN_SECRET is set but BECKON_TURN_URLS is not (comma-separated turn: URLs)');
  if (!secret)
    throw new Error('BECKON_TURN_URLS is set but BECKON_TURN_SECRET (coturn static-auth-secret) is not');
  for (const url of urls)
    if (!TURN_SCHEMES.test(url))
      throw new Error(
        `BECKON_TURN_URLS must be comma-separated turn: or turns: URLs, got ${JSON.stringify(url)}`,
      );
  const raw = env.BECKON_TURN_TTL || undefined;
  const ttl = raw === undefined ? DEFAULT_TURN_TTL_SECONDS : /^\d{1,7}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(ttl >= 1 && ttl <= MAX_TURN_TTL_SECONDS))
    throw new Error(
      `BECKON_TURN_TTL must be seconds, 1 to ${MAX_TURN_TTL_SECONDS}, got ${JSON.stringify(env.BECKON_TURN_TTL)}`,
    );
  return { urls, secret, ttlSeconds: ttl };
}
