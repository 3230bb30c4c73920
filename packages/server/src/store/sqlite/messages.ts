import type Database from 'better-sqlite3';
import type { DeliverResult, MessageRecord, MessageStore } from '../port.js';
import { Deliveries, type Delivery, type DeliveryOutcome } from './deliveries.js';
import { InboxChain, type MessageRow } from './inbox-chain.js';
import type { OutboxWriter } from './push.js';
import { statements } from './statements.js';

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

  private readonly deliveries;
  private readonly inboxes;

  constructor(
    private readonly db: Database.Database,
    outbox?: OutboxWriter,
  ) {
    this.deliveries = new Deliveries(db, outbox);
    this.inboxes = new InboxChain(db);
    this.sql = statements(db);
    const plain = this.sql;
    this.big = (text: string) => plain(text).safeIntegers(true);
  }

  /**
   * Group commit: the deliveries that arrive within one turn of the event loop share one transaction, each
   * in its own savepoint. Every caller still gets its answer only after the commit, so an answered send is
   * on disk; one commit for many sends is what lets the pipeline keep up under load.
   */
  deliver(m: MessageRecord, day: string, dailyCap: number): Promise<DeliverResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ m, day, dailyCap, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private pending: PendingDelivery[] = [];

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    let outcomes: DeliveryOutcome[];
    try {
      outcomes = this.deliveries.run(batch);
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

  async get(userId: string, msgid: bigint): Promise<MessageRecord | undefined> {
    const row = this.big('SELECT * FROM messages WHERE user_id = ? AND msgid = ?').get(userId, msgid) as
      | MessageRow
      | undefined;
    return row && toMessage(row);
  }

  async inbox(userId: string, limit: number, before?: bigint): Promise<MessageRecord[]> {
    return this.inboxes.page(userId, limit, before).map(toMessage);
  }

  async unreadCount(userId: string): Promise<number> {
    return this.inboxes.unread(userId);
  }

  async markRead(userId: string, msgid: bigint, at: number): Promise<boolean> {
    // IMMEDIATE: it reads then writes, and another connection may commit in between (the CLI's).
    return this.db.transaction(() => this.inboxes.markRead(userId, msgid, at)).immediate();
  }

  async markAllRead(userId: string, at: number): Promise<number> {
    return this.db.transaction(() => this.inboxes.markAllRead(userId, at)).immediate();
  }
}

interface PendingDelivery extends Delivery {
  resolve: (result: DeliverResult) => void;
  reject: (err: unknown) => void;
}
