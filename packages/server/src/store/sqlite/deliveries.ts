import type Database from 'better-sqlite3';
import type { DeliverResult, MessageRecord, SentFact } from '../port.js';
import { InboxChain } from './inbox-chain.js';
import type { OutboxWriter } from './push.js';
import { statements } from './statements.js';

/** One send's write, as `MessageStore.deliver` receives it; plain data, so it can cross to a thread. */
export interface Delivery {
  m: MessageRecord;
  day: string;
  dailyCap: number;
}

/** Per delivery of a batch: its result, or the error that undid it (and only it). */
export type DeliveryOutcome = DeliverResult | Error;

const MAX_DAILY_COUNTS = 10_000;
const UPSERT_DAILY_COUNT = `INSERT INTO daily_sends (appid, day, count) VALUES (?, ?, ?)
  ON CONFLICT (appid, day) DO UPDATE SET count = excluded.count`;

interface DailyCount {
  appid: string;
  day: string;
  /** As committed before this batch. */
  stored: number;
  sent: number;
}

/**
 * The send's transaction, for a batch of deliveries at once (group commit): one IMMEDIATE transaction; if
 * a delivery throws, the batch runs again with each delivery in its own savepoint. It keeps the daily
 * counts in memory, being the only writer of daily_sends.
 */
export class Deliveries {
  private readonly sql;
  private readonly inboxes;
  /** Committed sends per `appid\nday`. */
  private readonly dailyCounts = new Map<string, number>();
  /** Called inside the batch's transaction, better-sqlite3 runs it as a savepoint. */
  private readonly deliverInSavepoint;

  constructor(
    private readonly db: Database.Database,
    /** Message push: a delivered send's sent event is written in its savepoint. */
    private readonly outbox?: OutboxWriter,
  ) {
    this.sql = statements(db);
    this.inboxes = new InboxChain(db);
    this.deliverInSavepoint = db.transaction((m: MessageRecord) => this.deliverOne(m));
  }

  /** Commits the batch and answers per delivery; throws (committing nothing) when the transaction fails. */
  run(batch: readonly Delivery[]): DeliveryOutcome[] {
    try {
      // Deliveries refuse by returning, not by throwing: a throw is rare, and then the whole batch undoes.
      return this.commit(batch, false);
    } catch {
      // Once more, each delivery in its own savepoint, so that one failing half way undoes only itself.
      return this.commit(batch, true);
    }
  }

  private commit(batch: readonly Delivery[], isolated: boolean): DeliveryOutcome[] {
    const outcomes: DeliveryOutcome[] = [];
    // The batch's daily counts: they become the adapter's only when the batch commits.
    const counts = new Map<string, DailyCount>();
    this.db
      .transaction(() => {
        this.outbox?.beginTransaction();
        for (const { m, day, dailyCap } of batch) {
          const count = this.dailyCount(counts, m.appid, day);
          if (count.sent >= dailyCap) {
            outcomes.push('daily-cap');
            continue;
          }
          let outcome: DeliveryOutcome;
          try {
            outcome = isolated ? this.deliverInSavepoint(m) : this.deliverOne(m);
          } catch (err) {
            // Not isolated, or SQLite rolled the whole transaction back (disk full): nothing may go on.
            if (!isolated || !this.db.inTransaction) throw err;
            outcome = err as Error;
          }
          if (outcome === 'delivered') count.sent++;
          outcomes.push(outcome);
        }
        for (const c of counts.values()) {
          if (c.sent !== c.stored) this.sql(UPSERT_DAILY_COUNT).run(c.appid, c.day, c.sent);
        }
      })
      .immediate();
    if (this.dailyCounts.size > MAX_DAILY_COUNTS) this.dailyCounts.clear();
    for (const [key, c] of counts) this.dailyCounts.set(key, c.sent);
    return outcomes;
  }

  /** The (app, day) count as this batch sees it: from memory, read once per (app, day). */
  private dailyCount(counts: Map<string, DailyCount>, appid: string, day: string): DailyCount {
    const key = `${appid}\n${day}`;
    let count = counts.get(key);
    if (!count) {
      const stored =
        this.dailyCounts.get(key) ??
        ((this.sql('SELECT count FROM daily_sends WHERE appid = ? AND day = ?').pluck().get(appid, day) ??
          0) as number);
      count = { appid, day, stored, sent: stored };
      counts.set(key, count);
    }
    return count;
  }

  /**
   * One delivery inside its savepoint: a refusal writes nothing (the grant's WHERE clause is the check, so
   * it never goes below zero; the rare duplicate msgid gives back what it spent). The card joins its
   * user's inbox chain.
   */
  private deliverOne(m: MessageRecord): DeliverResult {
    // One-time: spend one. Long-term: only read (an UPDATE that changes nothing still rewrites the row).
    const spent =
      this.sql(
        `UPDATE grants SET remaining = remaining - 1
         WHERE appid = ? AND user_id = ? AND template_id = ? AND template_type <> 3 AND remaining > 0`,
      ).run(m.appid, m.userId, m.templateId).changes === 1;
    const allowed =
      spent ||
      this.sql(
        `SELECT 1 FROM grants
         WHERE appid = ? AND user_id = ? AND template_id = ? AND template_type = 3 AND active = 1`,
      ).get(m.appid, m.userId, m.templateId) !== undefined;
    if (!allowed) return 'no-grant';
    if (!this.inboxes.append(m)) {
      if (spent) {
        this.sql(
          'UPDATE grants SET remaining = remaining + 1 WHERE appid = ? AND user_id = ? AND template_id = ?',
        ).run(m.appid, m.userId, m.templateId);
      }
      return 'duplicate-msgid';
    }
    if (this.outbox?.enabled(m.appid)) {
      const data: SentFact[] = [{ templateId: m.templateId, msgid: m.msgid.toString() }];
      this.outbox.write({
        appid: m.appid,
        userId: m.userId,
        openid: m.openid,
        event: 'subscribe_msg_sent_event',
        data,
        at: m.createdAt,
      });
    }
    return 'delivered';
  }
}
