import {
  ApiError,
  CLOUD_STORAGE_MAX_KEY_BYTES,
  CLOUD_STORAGE_MAX_KEYS,
  CLOUD_STORAGE_MAX_KV_BYTES,
  type FriendCloudStorage,
  type KVData,
  wxgameScore,
} from '@beckon/protocol';
import { openidFor } from '../accounts/openids.js';
import type { Context } from '../context.js';
import type { AppRecord, UserRecord } from '../store/port.js';
import { getMiniGame } from './mini-game.js';
import { type SystemCardOptions, sendSystemCards } from './system-cards.js';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** `KVDataList` as the game passed it: 1–128 `{key, value}` of strings within WeChat's sizes; 91000 naming the entry. */
function parseKVDataList(raw: unknown): KVData[] {
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > CLOUD_STORAGE_MAX_KEYS) {
    throw ApiError.invalidRequest(`KVDataList must be a list of 1 to ${CLOUD_STORAGE_MAX_KEYS} {key, value}`);
  }
  return raw.map((entry: unknown, i): KVData => {
    const { key, value } = (entry ?? {}) as { key?: unknown; value?: unknown };
    if (typeof key !== 'string' || key === '' || bytes(key) > CLOUD_STORAGE_MAX_KEY_BYTES) {
      throw ApiError.invalidRequest(
        `KVDataList[${i}].key must be a string of 1 to ${CLOUD_STORAGE_MAX_KEY_BYTES} bytes`,
      );
    }
    if (typeof value !== 'string' || bytes(key) + bytes(value) > CLOUD_STORAGE_MAX_KV_BYTES) {
      throw ApiError.invalidRequest(
        `KVDataList[${i}].value must be a string; key and value together at most ${CLOUD_STORAGE_MAX_KV_BYTES} bytes`,
      );
    }
    return { key, value };
  });
}

/**
 * `keyList=a,b` as the game passed it: at most 128 keys, each 1–128 bytes; 91000 otherwise. Absent or empty:
 * no keys (the players alone).
 */
function parseKeyList(raw: string | undefined): string[] {
  const keys = raw === undefined || raw === '' ? [] : [...new Set(raw.split(','))];
  if (
    keys.length > CLOUD_STORAGE_MAX_KEYS ||
    keys.some((k) => k === '' || bytes(k) > CLOUD_STORAGE_MAX_KEY_BYTES)
  ) {
    throw ApiError.invalidRequest(
      `keyList must be at most ${CLOUD_STORAGE_MAX_KEYS} comma-separated keys of 1 to ${CLOUD_STORAGE_MAX_KEY_BYTES} bytes`,
    );
  }
  return keys;
}

/**
 * `PUT /api/apps/:appid/cloud-storage` (`wx.setUserCloudStorage`): sets the player's keys in the game, a
 * repeated key taking its last value, in one transaction (91000 when the player would hold more than 128
 * keys; nothing is written then). Then rank overtaking (spec §6.5) for every score that rose.
 */
export async function setUserCloudStorage(
  ctx: Context,
  appid: string,
  user: UserRecord,
  rawList: unknown,
  options: Pick<SystemCardOptions, 'log'> = {},
): Promise<{ errMsg: 'setUserCloudStorage:ok' }> {
  const app = await getMiniGame(ctx, appid);
  const entries = parseKVDataList(rawList);
  const write = await ctx.store.games.setCloudStorage(
    appid,
    user.id,
    entries,
    ctx.clock.now(),
    CLOUD_STORAGE_MAX_KEYS,
  );
  if (!write.ok) {
    throw ApiError.invalidRequest(`a player holds at most ${CLOUD_STORAGE_MAX_KEYS} keys in a game`);
  }
  const latest = new Map(entries.map((e) => [e.key, e.value]));
  await remindOvertaken(ctx, app, user, latest, write.previous, options);
  return { errMsg: 'setUserCloudStorage:ok' };
}

/** A score that rose: its key, the player's score before (undefined: none) and now. */
interface RisenScore {
  key: string;
  before: number | undefined;
  now: number;
}

/**
 * Rank overtaking (spec §6.5): for each key whose new value is a `wxgame` score above the player's old one
 * (or the player's first), every friend whose score for that key was at least the old one and is below the
 * new one has been passed. Each such friend gets one "Friend overtook you" card if subscribed to
 * SYS_MSG_TYPE_RANK, at most one per game per China day (the first key that passed them names the scores).
 */
async function remindOvertaken(
  ctx: Context,
  app: AppRecord,
  user: UserRecord,
  latest: Map<string, string>,
  previous: Map<string, string | undefined>,
  options: Pick<SystemCardOptions, 'log'>,
): Promise<void> {
  const risen: RisenScore[] = [];
  for (const [key, value] of latest) {
    const now = wxgameScore(value);
    const old = previous.get(key);
    const before = old === undefined ? undefined : wxgameScore(old);
    if (now !== undefined && (before === undefined || now > before)) risen.push({ key, before, now });
  }
  if (risen.length === 0) return;
  const friends = new Map((await ctx.store.friends.list(user.id)).map((f) => [f.user.id, f.user]));
  if (friends.size === 0) return;
  const theirs = await ctx.store.games.cloudStorage(
    app.appid,
    [...friends.keys()],
    risen.map((r) => r.key),
  );
  const passed = new Map<string, { mine: number; theirs: number }>();
  for (const { key, before, now } of risen) {
    for (const entry of theirs) {
      if (entry.key !== key || passed.has(entry.userId)) continue;
      const score = wxgameScore(entry.value);
      if (score !== undefined && (before === undefined || score >= before) && score < now) {
        passed.set(entry.userId, { mine: now, theirs: score });
      }
    }
  }
  if (passed.size === 0) return;
  await sendSystemCards(
    ctx,
    [...passed].map(([friendId, scores]) => ({
      app,
      userId: friendId,
      msgType: 'SYS_MSG_TYPE_RANK' as const,
      values: [user.displayName, String(scores.mine), String(scores.theirs)],
      oncePerDay: true,
    })),
    options,
  );
}

/**
 * `GET /api/apps/:appid/friend-cloud-storage?keyList=a,b` (`wx.getFriendCloudStorage`): the player first,
 * then their friends who play the game (logged in to it or stored data in it), in the friend list's order;
 * each with their openid in this game, their display name, no avatar, and those of the keys they have (in
 * keyList's order). Without keys (`keyList` absent or empty) it lists the players, each with no keys.
 */
export async function getFriendCloudStorage(
  ctx: Context,
  appid: string,
  user: UserRecord,
  keyList: string | undefined,
): Promise<FriendCloudStorage> {
  await getMiniGame(ctx, appid);
  const keys = parseKeyList(keyList);
  const friends = (await ctx.store.friends.list(user.id)).map((f) => f.user);
  const playing = new Set(
    await ctx.store.games.players(
      appid,
      friends.map((f) => f.id),
    ),
  );
  const people = [user, ...friends.filter((f) => playing.has(f.id))];
  const stored = await ctx.store.games.cloudStorage(
    appid,
    people.map((p) => p.id),
    keys,
  );
  const data = await Promise.all(
    people.map(async (p) => ({
      openid: await openidFor(ctx, appid, p.id),
      nickname: p.displayName,
      avatarUrl: '',
      // In keyList's order.
      KVDataList: keys.flatMap((key) => {
        const entry = stored.find((e) => e.userId === p.id && e.key === key);
        return entry ? [{ key, value: entry.value }] : [];
      }),
    })),
  );
  return { errMsg: 'getFriendCloudStorage:ok', data };
}
