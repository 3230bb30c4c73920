import type Database from 'better-sqlite3';
import type { DeliverResult, MessageRecord, MessageStore } from '../port.js';
import { statements } from './statements.js';

interface MessageRow {
  msgid: bigint;
  appid: string;
  user_id: string;
  openid: string;
  template_id: string;
  app_name: string;
  title: string;
  rows: string;
  page: string | null;
  lang: MessageRecord['lang'];
  miniprogram_state: MessageRecord['miniprogramState'];
  created_at: bigint;
  read_at: bigint | null;
}

const toMessage = (r: MessageRow): MessageRecord => ({
  msgid: r.msgid,
  appid: r.appid,
  userId: r.user_id,
  openid: r.openid,
  templateId: r.template_id,
  appName: r.app_name,
  title: r.title,
  rows: JSON.parse(r.rows),
  page: r.page,
  lang: r.lang,
  miniprogramState: r.miniprogram_state,
  createdAt: Number(r.created_at),
  readAt: r.read_at === null ? null : Number(r.read_at),
});

export class SqliteMessages implements MessageStore {
  private readonly sql;
  /** msgids exceed 2^53: every statement that reads them returns 64-bit integers as bigint. */
  private readonly big;

  constructor(private readonly db: Database.Database) {
    this.sql = statements(db);
    const plain = this.sql;
    this.big = (text: string) => plain(text).safeIntegers(true);
    this.deliverInSavepoint = db.transaction((m: MessageRecord, day: string, dailyCap: number) =>
      this.deliverOne(m, day, dailyCap),
    );
  }

  /**
   * Group commit: the deliveries that arrive within one turn of the event loop share one transaction, each
   * in its own savepoint. Every caller still gets its answer only after the commit, so an answered
   * send is on disk; one commit for many sends is what lets the pipeline keep up under load.
   */
  deliver(m: MessageRecord, day: string, dailyCap: number): Promise<DeliverResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ m, day, dailyCap, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private pending: PendingDelivery[] = [];
  /** Called inside the batch's transaction, better-sqlite3 runs it as a savepoint. */
  private readonly deliverInSavepoint;

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    const outcomes: (DeliverResult | Error)[] = [];
    try {
      this.db
        .transaction(() => {
          for (const { m, day, dailyCap } of batch) {
            try {
              // A savepoint: a delivery that fails half way (a constraint, an I/O error) undoes only itself.
              outcomes.push(this.deliverInSavepoint(m, day, dailyCap));
            } catch (err) {
              // SQLite may have rolled the whole transaction back (disk full): then nothing may go on.
              if (!this.db.inTransaction) throw err;
              outcomes.push(err as Error);
            }
          }
        })
        .immediate();
    } catch (err) {
      for (const d of batch) d.reject(err);
      return;
    }
    batch.forEach((d, i) => {
      const outcome = outcomes[i]!;
      if (outcome instanceof Error) d.reject(outcome);
      else d.resolve(outcome);
    });
  }

  /**
   * One delivery inside its savepoint: a refusal writes nothing (the grant's WHERE clause is the check, so
   * it never goes below zero; the rare duplicate msgid gives back what it spent).
   */
  private deliverOne(m: MessageRecord, day: string, dailyCap: number): DeliverResult {
    const sent = (this.sql('SELECT count FROM daily_sends WHERE appid = ? AND day = ?')
      .pluck()
      .get(m.appid, day) ?? 0) as number;
    if (sent >= dailyCap) return 'daily-cap';
    // One-time: spend one; long-term: allowed while active.
    const spent = this.sql(
      `UPDATE grants SET remaining = CASE WHEN template_type = 3 THEN remaining ELSE remaining - 1 END
       WHERE appid = ? AND user_id = ? AND template_id = ?
         AND ((template_type = 3 AND active = 1) OR (template_type <> 3 AND remaining > 0))`,
    ).run(m.appid, m.userId, m.templateId);
    if (spent.changes !== 1) return 'no-grant';
    const inserted = this.sql(
      `INSERT INTO messages (msgid, appid, user_id, openid, template_id, app_name, title, rows, page, lang,
         miniprogram_state, created_at, read_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (msgid) DO NOTHING`,
    ).run(
      m.msgid,
      m.appid,
      m.userId,
      m.openid,
      m.templateId,
      m.appName,
      m.title,
      JSON.stringify(m.rows),
      m.page,
      m.lang,
      m.miniprogramState,
      m.createdAt,
      m.readAt,
    );
    if (inserted.changes !== 1) {
      this.sql(
        `UPDATE grants SET remaining = CASE WHEN template_type = 3 THEN remaining ELSE remaining + 1 END
         WHERE appid = ? AND user_id = ? AND template_id = ?`,
      ).run(m.appid, m.userId, m.templateId);
      return 'duplicate-msgid';
    }
    this.sql(
      `INSERT INTO daily_sends (appid, day, count) VALUES (?, ?, 1)
       ON CONFLICT (appid, day) DO UPDATE SET count = count + 1`,
    ).run(m.appid, day);
    return 'delivered';
  }

  async get(userId: string, msgid: bigint): Promise<MessageRecord | undefined> {
    const row = this.big('SELECT * FROM messages WHERE user_id = ? AND msgid = ?').get(userId, msgid) as
      | MessageRow
      | undefined;
    return row && toMessage(row);
  }

  async inbox(userId: string, limit: number, before?: bigint): Promise<MessageRecord[]> {
    const rows = (
      before === undefined
        ? this.big('SELECT * FROM messages WHERE user_id = ? ORDER BY msgid DESC LIMIT ?').all(userId, limit)
        : this.big('SELECT * FROM messages WHERE user_id = ? AND msgid < ? ORDER BY msgid DESC LIMIT ?').all(
            userId,
            before,
            limit,
          )
    ) as MessageRow[];
    return rows.map(toMessage);
  }

  async unreadCount(userId: string): Promise<number> {
    return this.sql('SELECT count(*) FROM messages WHERE user_id = ? AND read_at IS NULL')
      .pluck()
      .get(userId) as number;
  }

  async markRead(userId: string, msgid: bigint, at: number): Promise<boolean> {
    return this.db.transaction(() => {
      const exists = this.sql('SELECT 1 FROM messages WHERE user_id = ? AND msgid = ?').get(userId, msgid);
      if (!exists) return false;
      this.sql('UPDATE messages SET read_at = ? WHERE user_id = ? AND msgid = ? AND read_at IS NULL').run(
        at,
        userId,
        msgid,
      );
      return true;
    })();
  }

  async markAllRead(userId: string, at: number): Promise<number> {
    return this.sql('UPDATE messages SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(at, userId)
      .changes;
  }
}

interface PendingDelivery {
  m: MessageRecord;
  day: string;
  dailyCap: number;
  resolve: (result: DeliverResult) => void;
  reject: (err: unknown) => void;
}
