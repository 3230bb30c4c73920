import type { SysMsgType, SystemStatus, WhatsNewPhrase } from '@beckon/protocol';
import type { MessageRecord } from './messages.js';

/**
 * A user's answer for one system message type of one mini game (spec §4.5). `accept` is permanent and
 * answered without asking; a `reject` is `kept` (answered without asking) when it came from the settings
 * page or a card, and asked again when it came from the dialog.
 */
export interface SystemSubscriptionRecord {
  appid: string;
  userId: string;
  msgType: SysMsgType;
  status: SystemStatus;
  kept: boolean;
  updatedAt: number;
}

/**
 * What `addInteractive` did: the new value and, given a card, what became of it; or nothing at all when the
 * card's msgid is taken (`ok: false`: mint another and call again).
 */
export type InteractiveWrite =
  | { ok: true; value: number; card?: Exclude<SystemDeliverResult, 'duplicate-msgid'> }
  | { ok: false; card: 'duplicate-msgid' };

/** What `recordSystemDecisions` did: refused (the main switch is off), or each type's answer after it. */
export type SystemDecisionsWrite = { ok: false } | { ok: true; answers: SystemSubscriptionRecord[] };

/** One system card to deliver: `card.templateId` is its SYS_MSG type. */
export interface SystemCardDelivery {
  card: MessageRecord;
  /**
   * The China day (`2026-01-01`): at most one card of this type from this game to this user on that day.
   * Left out: no daily limit.
   */
  oncePerDay?: string;
}

/**
 * What became of one system card: `not-subscribed` (the user has not accepted the type, or the game's
 * main switch is off), `already-reminded` (a card of the type went out that day), `duplicate-msgid` (the
 * msgid is taken: mint another and try again). Nothing is written unless `delivered`.
 */
export type SystemDeliverResult = 'delivered' | 'not-subscribed' | 'already-reminded' | 'duplicate-msgid';

export interface GameUpdateRecord {
  updateId: string;
  appid: string;
  version: string;
  phrases: WhatsNewPhrase[];
  publishedAt: number;
  /** Players reminded so far. */
  reminded: number;
}

/** One key of a player's cloud storage in one game. */
export interface CloudEntry {
  userId: string;
  key: string;
  value: string;
}

/**
 * What `setCloudStorage` did: refused (over the key limit, nothing written), or each key's previous value (a
 * Map: keys are the game's, `constructor` or `__proto__` among them).
 */
export type CloudStorageWrite = { ok: false } | { ok: true; previous: Map<string, string | undefined> };

/**
 * Mini games (spec §4.5, §6.5): players' system message subscriptions, the system cards the platform
 * delivers into the Service Notifications inbox, published game updates, players' cloud storage and
 * interactive values.
 */
export interface GameStore {
  /** The user's answered types in the game, by type. */
  systemSubscriptions(appid: string, userId: string): Promise<SystemSubscriptionRecord[]>;
  /**
   * The answers of one dialog, in one transaction: `accept` (kept) or `reject` (not kept) per type, written
   * only where the type has no kept answer (accepted before, or switched off in settings or from a card: that
   * answer stands, even if it was given after the dialog was drawn). Returns each type's answer as the
   * transaction left it, in order. When the user's main switch for the game is off it records nothing and
   * returns `{ok: false}` (checked in the same transaction, as `ConsentStore.recordDecisions`).
   */
  recordSystemDecisions(
    appid: string,
    userId: string,
    decisions: { msgType: SysMsgType; status: SystemStatus }[],
    at: number,
  ): Promise<SystemDecisionsWrite>;
  /** The settings page or a card: the type switched on or off, kept either way. */
  setSystemType(
    appid: string,
    userId: string,
    msgType: SysMsgType,
    status: SystemStatus,
    at: number,
  ): Promise<SystemSubscriptionRecord>;
  /** Users who accepted the type in the game, by user id after `afterUserId` ('' from the start). */
  systemSubscribers(
    appid: string,
    msgType: SysMsgType,
    afterUserId: string,
    limit: number,
  ): Promise<string[]>;
  /**
   * Delivers system cards, each in its own savepoint of one transaction: a card goes into its user's inbox
   * (the same chain as sent messages) only if the user has accepted its type and the main switch is on,
   * and, with `oncePerDay`, no card of the type from the game reached the user that day — all decided in
   * the transaction, so concurrent deliveries cannot both pass. `updateId`: the delivered count is added to
   * that update's `reminded` in the same transaction. One result per card, in order.
   */
  deliverSystemCards(cards: SystemCardDelivery[], updateId?: string): Promise<SystemDeliverResult[]>;

  /** Records a published update (`reminded` 0); false, writing nothing, when the game has that version. */
  addUpdate(update: GameUpdateRecord): Promise<boolean>;
  getUpdate(updateId: string): Promise<GameUpdateRecord | undefined>;
  /** The game's newest updates first. */
  updates(appid: string, limit: number): Promise<GameUpdateRecord[]>;

  /**
   * Sets the player's keys (one transaction). Refused, writing nothing, when the player would then hold
   * more than `maxKeys` keys in the game.
   */
  setCloudStorage(
    appid: string,
    userId: string,
    entries: { key: string; value: string }[],
    at: number,
    maxKeys: number,
  ): Promise<CloudStorageWrite>;
  /** The given keys of the given players in the game (only the keys they have), by user then key. */
  cloudStorage(appid: string, userIds: string[], keys: string[]): Promise<CloudEntry[]>;
  /** Those of `userIds` who play the game: they called `wx.login` in it, or stored cloud storage. */
  players(appid: string, userIds: string[]): Promise<string[]>;
  /**
   * Adds `by` to the player's interactive value for `key` (from 0; capped at 2^31 - 1) and, given a card,
   * delivers it as `deliverSystemCards` does, in one transaction: the value and the card, or nothing.
   */
  addInteractive(
    appid: string,
    userId: string,
    key: string,
    by: number,
    at: number,
    card?: SystemCardDelivery,
  ): Promise<InteractiveWrite>;
  /** The player's interactive values in the game, by key (keys never added to are left out). */
  interactiveValues(appid: string, userId: string): Promise<Record<string, number>>;
}
