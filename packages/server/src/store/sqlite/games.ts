import type { SysMsgType, SystemStatus, WhatsNewPhrase } from '@beckon/protocol';
import type Database from 'better-sqlite3';
import type {
  CloudEntry,
  CloudStorageWrite,
  GameStore,
  GameUpdateRecord,
  InteractiveWrite,
  SystemCardDelivery,
  SystemDecisionsWrite,
  SystemDeliverResult,
  SystemSubscriptionRecord,
} from '../port.js';
import { mainSwitchOn } from './consent.js';
import { InboxChain } from './inbox-chain.js';
import { statements } from './statements.js';

interface SubscriptionRow {
  appid: string;
  user_id: string;
  msg_type: SysMsgType;
  status: SystemStatus;
  kept: number;
  updated_at: number;
}
const toSubscription = (r: SubscriptionRow): SystemSubscriptionRecord => ({
  appid: r.appid,
  userId: r.user_id,
  msgType: r.msg_type,
  status: r.status,
  kept: r.kept === 1,
  updatedAt: r.updated_at,
});

interface UpdateRow {
  update_id: string;
  appid: string;
  version: string;
  phrases: string;
  published_at: number;
  reminded: number;
}
const toUpdate = (r: UpdateRow): GameUpdateRecord => ({
  updateId: r.update_id,
  appid: r.appid,
  version: r.version,
  phrases: JSON.parse(r.phrases) as WhatsNewPhrase[],
  publishedAt: r.published_at,
  reminded: r.reminded,
});

const SET_SUBSCRIPTION = `
  INSERT INTO system_subscriptions (appid, user_id, msg_type, status, kept, updated_at)
  VALUES (@appid, @userId, @msgType, @status, @kept, @at)
  ON CONFLICT (appid, user_id, msg_type) DO UPDATE SET
    status = excluded.status, kept = excluded.kept, updated_at = excluded.updated_at`;

/** A dialog's answer: written unless the type has a kept answer (an accept, or a switch-off in settings). */
const ANSWER_SUBSCRIPTION = `${SET_SUBSCRIPTION}
    WHERE system_subscriptions.kept = 0`;

/** Takes the day's reminder slot: changes nothing (0 rows) when a card of the type went out that day. */
const TAKE_REMINDER = `
  INSERT INTO system_reminders (appid, user_id, msg_type, last_day) VALUES (?, ?, ?, ?)
  ON CONFLICT (appid, user_id, msg_type) DO UPDATE SET last_day = excluded.last_day
    WHERE last_day < excluded.last_day`;

const INTERACTIVE_MAX = 2 ** 31 - 1;

/** Undoes a card's savepoint with its outcome (better-sqlite3 rolls a nested transaction back on a throw). */
class Refused extends Error {
  constructor(readonly outcome: SystemDeliverResult) {
    super(outcome);
  }
}

export class SqliteGames implements GameStore {
  private readonly sql;
  private readonly inboxes;
  /** One card, as a savepoint inside the batch's transaction. */
  private readonly deliverInSavepoint;

  constructor(private readonly db: Database.Database) {
    this.sql = statements(db);
    this.inboxes = new InboxChain(db);
    this.deliverInSavepoint = db.transaction((d: SystemCardDelivery) => this.deliverOne(d));
  }

  async systemSubscriptions(appid: string, userId: string): Promise<SystemSubscriptionRecord[]> {
    return (
      this.sql('SELECT * FROM system_subscriptions WHERE appid = ? AND user_id = ? ORDER BY msg_type').all(
        appid,
        userId,
      ) as SubscriptionRow[]
    ).map(toSubscription);
  }

  async recordSystemDecisions(
    appid: string,
    userId: string,
    decisions: { msgType: SysMsgType; status: SystemStatus }[],
    at: number,
  ): Promise<SystemDecisionsWrite> {
    return this.db
      .transaction((): SystemDecisionsWrite => {
        // Checked inside the transaction: a switch-off that commits first is not undone by this accept.
        if (!mainSwitchOn(this.sql, appid, userId)) return { ok: false };
        const read = this.sql(
          'SELECT * FROM system_subscriptions WHERE appid = ? AND user_id = ? AND msg_type = ?',
        );
        const answers = decisions.map(({ msgType, status }) => {
          const kept = status === 'accept' ? 1 : 0;
          this.sql(ANSWER_SUBSCRIPTION).run({ appid, userId, msgType, status, kept, at });
          return toSubscription(read.get(appid, userId, msgType) as SubscriptionRow);
        });
        return { ok: true, answers };
      })
      .immediate();
  }

  async setSystemType(
    appid: string,
    userId: string,
    msgType: SysMsgType,
    status: SystemStatus,
    at: number,
  ): Promise<SystemSubscriptionRecord> {
    this.sql(SET_SUBSCRIPTION).run({ appid, userId, msgType, status, kept: 1, at });
    return { appid, userId, msgType, status, kept: true, updatedAt: at };
  }

  async systemSubscribers(
    appid: string,
    msgType: SysMsgType,
    afterUserId: string,
    limit: number,
  ): Promise<string[]> {
    return this.sql(
      `SELECT user_id FROM system_subscriptions
       WHERE appid = ? AND msg_type = ? AND status = 'accept' AND user_id > ? ORDER BY user_id LIMIT ?`,
    )
      .pluck()
      .all(appid, msgType, afterUserId, limit) as string[];
  }

  async deliverSystemCards(cards: SystemCardDelivery[], updateId?: string): Promise<SystemDeliverResult[]> {
    return this.db
      .transaction((): SystemDeliverResult[] => {
        const outcomes = cards.map((d) => this.deliverCard(d));
        const delivered = outcomes.filter((o) => o === 'delivered').length;
        if (updateId !== undefined && delivered > 0) {
          this.sql('UPDATE game_updates SET reminded = reminded + ? WHERE update_id = ?').run(
            delivered,
            updateId,
          );
        }
        return outcomes;
      })
      .immediate();
  }

  /** One card in its savepoint, inside the caller's transaction: a refusal undoes only the savepoint. */
  private deliverCard(d: SystemCardDelivery): SystemDeliverResult {
    try {
      return this.deliverInSavepoint(d);
    } catch (err) {
      if (err instanceof Refused) return err.outcome;
      throw err;
    }
  }

  /** Subscribed and switched on, then the day's slot, then the inbox; a refusal undoes the savepoint. */
  private deliverOne({ card, oncePerDay }: SystemCardDelivery): SystemDeliverResult {
    const { appid, userId, templateId: msgType } = card;
    const accepted = this.sql(
      `SELECT 1 FROM system_subscriptions
       WHERE appid = ? AND user_id = ? AND msg_type = ? AND status = 'accept'`,
    ).get(appid, userId, msgType);
    if (accepted === undefined || !mainSwitchOn(this.sql, appid, userId)) return 'not-subscribed';
    if (
      oncePerDay !== undefined &&
      this.sql(TAKE_REMINDER).run(appid, userId, msgType, oncePerDay).changes === 0
    )
      return 'already-reminded';
    if (!this.inboxes.append(card)) throw new Refused('duplicate-msgid');
    return 'delivered';
  }

  async addUpdate(update: GameUpdateRecord): Promise<boolean> {
    return (
      this.sql(
        `INSERT INTO game_updates (update_id, appid, version, phrases, published_at, reminded)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ).run(
        update.updateId,
        update.appid,
        update.version,
        JSON.stringify(update.phrases),
        update.publishedAt,
        update.reminded,
      ).changes === 1
    );
  }

  async getUpdate(updateId: string): Promise<GameUpdateRecord | undefined> {
    const row = this.sql('SELECT * FROM game_updates WHERE update_id = ?').get(updateId) as
      | UpdateRow
      | undefined;
    return row && toUpdate(row);
  }

  async updates(appid: string, limit: number): Promise<GameUpdateRecord[]> {
    return (
      this.sql(
        'SELECT * FROM game_updates WHERE appid = ? ORDER BY published_at DESC, rowid DESC LIMIT ?',
      ).all(appid, limit) as UpdateRow[]
    ).map(toUpdate);
  }

  async setCloudStorage(
    appid: string,
    userId: string,
    entries: { key: string; value: string }[],
    at: number,
    maxKeys: number,
  ): Promise<CloudStorageWrite> {
    return this.db
      .transaction((): CloudStorageWrite => {
        const previous = new Map<string, string | undefined>();
        const read = this.sql('SELECT value FROM cloud_storage WHERE appid = ? AND user_id = ? AND key = ?');
        for (const { key } of entries) {
          if (!previous.has(key))
            previous.set(key, read.pluck().get(appid, userId, key) as string | undefined);
        }
        const fresh = [...previous.values()].filter((v) => v === undefined).length;
        const held = this.sql('SELECT count(*) FROM cloud_storage WHERE appid = ? AND user_id = ?')
          .pluck()
          .get(appid, userId) as number;
        if (held + fresh > maxKeys) return { ok: false };
        const write = this.sql(
          `INSERT INTO cloud_storage (appid, user_id, key, value, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (appid, user_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        );
        for (const { key, value } of entries) write.run(appid, userId, key, value, at);
        return { ok: true, previous };
      })
      .immediate();
  }

  async cloudStorage(appid: string, userIds: string[], keys: string[]): Promise<CloudEntry[]> {
    if (userIds.length === 0 || keys.length === 0) return [];
    return (
      this.sql(
        `SELECT user_id, key, value FROM cloud_storage
         WHERE appid = ? AND user_id IN (SELECT value FROM json_each(?)) AND key IN (SELECT value FROM json_each(?))
         ORDER BY user_id, key`,
      ).all(appid, JSON.stringify(userIds), JSON.stringify(keys)) as {
        user_id: string;
        key: string;
        value: string;
      }[]
    ).map((r) => ({ userId: r.user_id, key: r.key, value: r.value }));
  }

  async players(appid: string, userIds: string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    return this.sql(
      `SELECT value FROM json_each(?) AS u
       WHERE EXISTS (SELECT 1 FROM app_users WHERE appid = ? AND user_id = u.value)
          OR EXISTS (SELECT 1 FROM cloud_storage WHERE appid = ? AND user_id = u.value)
       ORDER BY value`,
    )
      .pluck()
      .all(JSON.stringify(userIds), appid, appid) as string[];
  }

  async addInteractive(
    appid: string,
    userId: string,
    key: string,
    by: number,
    at: number,
    card?: SystemCardDelivery,
  ): Promise<InteractiveWrite> {
    return this.db
      .transaction((): InteractiveWrite => {
        const delivered = card && this.deliverCard(card);
        if (delivered === 'duplicate-msgid') return { ok: false, card: delivered };
        const value = this.sql(
          `INSERT INTO interactive_values (appid, user_id, key, value, updated_at) VALUES (@appid, @userId, @key, min(@by, @max), @at)
           ON CONFLICT (appid, user_id, key) DO UPDATE SET value = min(value + @by, @max), updated_at = excluded.updated_at
           RETURNING value`,
        )
          .pluck()
          .get({ appid, userId, key, by, at, max: INTERACTIVE_MAX }) as number;
        return delivered ? { ok: true, value, card: delivered } : { ok: true, value };
      })
      .immediate();
  }

  async interactiveValues(appid: string, userId: string): Promise<Record<string, number>> {
    const rows = this.sql(
      'SELECT key, value FROM interactive_values WHERE appid = ? AND user_id = ? ORDER BY key',
    ).all(appid, userId) as { key: string; value: number }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }
}
