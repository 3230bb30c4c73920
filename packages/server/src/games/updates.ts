import {
  ApiError,
  GAME_UPDATES_LISTED,
  GAME_VERSION_PATTERN,
  type GameUpdateView,
  MAX_WHATS_NEW_PHRASES,
  WHATS_NEW_PHRASES,
  type WhatsNewPhrase,
} from '@beckon/protocol';
import type { Context } from '../context.js';
import { randomHex } from '../ids.js';
import type { AppRecord, GameUpdateRecord } from '../store/port.js';
import { type SystemCardOptions, sendSystemCards } from './system-cards.js';

/** A publish request after the route's schema: the fields are checked here, each with its own message. */
export interface GameUpdateInput {
  version?: unknown;
  phrases?: unknown;
}

/** Players reminded per store transaction while an update fans out. */
const REMIND_BATCH = 200;

const isPhrase = (value: unknown): value is WhatsNewPhrase =>
  typeof value === 'string' && Object.hasOwn(WHATS_NEW_PHRASES, value);

export function toGameUpdateView(update: GameUpdateRecord): GameUpdateView {
  return {
    updateId: update.updateId,
    appid: update.appid,
    version: update.version,
    phrases: update.phrases,
    publishedAt: new Date(update.publishedAt).toISOString(),
    reminded: update.reminded,
  };
}

/** 91000 naming the field: a version as GAME_VERSION_PATTERN, 1–3 distinct phrases of the fixed list. */
function checkUpdate(input: GameUpdateInput): { version: string; phrases: WhatsNewPhrase[] } {
  const { version, phrases } = input;
  if (typeof version !== 'string' || !GAME_VERSION_PATTERN.test(version)) {
    throw ApiError.invalidRequest(
      'version must be 1 to 32 letters, digits, ".", "_", "+" or "-", starting with a letter or digit (e.g. 1.4.0)',
    );
  }
  if (
    !Array.isArray(phrases) ||
    phrases.length < 1 ||
    phrases.length > MAX_WHATS_NEW_PHRASES ||
    !phrases.every(isPhrase) ||
    new Set(phrases).size !== phrases.length
  ) {
    throw ApiError.invalidRequest(
      `phrases must be 1 to ${MAX_WHATS_NEW_PHRASES} different phrases of: ${Object.keys(WHATS_NEW_PHRASES).join(', ')}`,
    );
  }
  return { version, phrases };
}

/**
 * Publishes a version of the game (spec §6.5 "game update reminders") and reminds every player subscribed
 * to SYS_MSG_TYPE_WHATS_NEW with the game's main switch on, at most once per game per China day (a player
 * already reminded today by an earlier update is not reminded again). A version is published once (91000
 * the second time). The update is recorded first; the reminders follow in batches, each batch one
 * transaction that also counts them on the update. The caller has checked that the app is a mini game.
 */
export async function publishUpdate(
  ctx: Context,
  app: AppRecord,
  input: GameUpdateInput,
  options: Pick<SystemCardOptions, 'log'> = {},
): Promise<GameUpdateView> {
  const { version, phrases } = checkUpdate(input);
  const update: GameUpdateRecord = {
    updateId: `upd_${randomHex(12)}`,
    appid: app.appid,
    version,
    phrases,
    publishedAt: ctx.clock.now(),
    reminded: 0,
  };
  if (!(await ctx.store.games.addUpdate(update))) {
    throw ApiError.invalidRequest(`version ${version} is already published`);
  }
  const whatsNew = phrases.map((p) => WHATS_NEW_PHRASES[p]).join(', ');
  let after = '';
  for (;;) {
    const players = await ctx.store.games.systemSubscribers(
      app.appid,
      'SYS_MSG_TYPE_WHATS_NEW',
      after,
      REMIND_BATCH,
    );
    if (players.length === 0) break;
    await sendSystemCards(
      ctx,
      players.map((userId) => ({
        app,
        userId,
        msgType: 'SYS_MSG_TYPE_WHATS_NEW' as const,
        values: [app.name, whatsNew, version],
        oncePerDay: true,
      })),
      { ...options, updateId: update.updateId },
    );
    after = players[players.length - 1]!;
    if (players.length < REMIND_BATCH) break;
  }
  return toGameUpdateView((await ctx.store.games.getUpdate(update.updateId))!);
}

/** The game's newest updates first (at most GAME_UPDATES_LISTED). */
export async function listUpdates(ctx: Context, app: AppRecord): Promise<GameUpdateView[]> {
  return (await ctx.store.games.updates(app.appid, GAME_UPDATES_LISTED)).map(toGameUpdateView);
}
