import type Database from 'better-sqlite3';
import type { DeliverResult, MessageRecord, MessageStore } from '../port.js';
import type { Delivery } from './deliveries.js';
import { type DeliveryWriter, deliveryWriter } from './delivery-thread.js';
import { InboxChain, type MessageRow } from './inbox-chain.js';
import type { OutboxWriter } from './push.js';

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
  private readonly writer: DeliveryWriter;
  private readonly inboxes;
  /** Sends waiting for the next batch, batches committing now, and whether a flush is scheduled. */
  private pending: PendingDelivery[] = [];
  private inFlight = 0;
  private flushScheduled = false;
  /** Set by close: the last batches go, new sends are refused. */
  private closing: { drained: () => void } | undefined;

  constructor(
    private readonly db: Database.Database,
    outbox?: OutboxWriter,
    /** The store's file: sends commit on a writer thread when it is a file and the build has the thread. */
    file = ':memory:',
  ) {
    this.writer = deliveryWriter(db, file, outbox);
    this.inboxes = new InboxChain(db);
  }

  /**
   * Group commit: the deliveries that arrive within one turn of the event loop (or while the writer has
   * its fill of batches) share one transaction. Every caller still gets its answer only after the commit,
   * so an answered send is on disk; one commit for many sends is what lets the pipeline keep up under load.
   */
  deliver(m: MessageRecord, day: string, dailyCap: number): Promise<DeliverResult> {
    if (this.closing) return Promise.reject(new Error('the store is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ delivery: { m, day, dailyCap }, resolve, reject });
      if (!this.flushScheduled && this.inFlight < MAX_IN_FLIGHT) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    });
  }

  /** Hands what is pending to the writer, in batches, while it has room for more. */
  private flush(): void {
    while (this.pending.length > 0 && this.inFlight < MAX_IN_FLIGHT) {
      void this.commit(this.pending.splice(0, MAX_BATCH));
    }
  }

  /** One batch: answers its callers once it has committed, then hands on what arrived meanwhile. */
  private async commit(batch: PendingDelivery[]): Promise<void> {
    this.inFlight++;
    try {
      const outcomes = await this.writer.run(batch.map((p) => p.delivery));
      batch.forEach((p, i) => {
        const outcome = outcomes[i]!;
        if (outcome instanceof Error) p.reject(outcome);
        else p.resolve(outcome);
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.inFlight--;
    }
    this.flush();
    if (this.inFlight === 0 && this.pending.length === 0) this.closing?.drained();
  }

  /** Whether sends commit on the writer thread (the built server with a file) or on the event loop. */
  get writesOnThread(): boolean {
    return this.writer.threaded;
  }

  /** Commits the sends already taken (refusing new ones), then stops the writer thread. */
  async close(): Promise<void> {
    const drained = new Promise<void>((resolve) => {
      this.closing = { drained: resolve };
    });
    if (this.inFlight > 0 || this.pending.length > 0) await drained;
    await this.writer.close();
  }

  async get(userId: string, msgid: bigint): Promise<MessageRecord | undefined> {
    const row = this.inboxes.card(userId, msgid);
    return row && toMessage(row);
  }

  inbox(userId: string, limit: number): Promise<MessageRecord[]>;
  inbox(userId: string, limit: number, before: bigint | undefined): Promise<MessageRecord[] | undefined>;
  async inbox(userId: string, limit: number, before?: bigint): Promise<MessageRecord[] | undefined> {
    return this.inboxes.page(userId, limit, before)?.map(toMessage);
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

/**
 * Sends per transaction. Batches of everything pending made the event loop and the writer thread take
 * turns (all 64 of the bench's connections parked in one batch, then all of them answered); smaller ones
 * keep both busy. Under the send bench's load a cap of 16 sent more per second than 8 or no cap (2–3 runs
 * each; the machine's noise is about as large as the difference to no cap).
 */
const MAX_BATCH = 16;

/**
 * Batches handed to the writer before the first has answered. With one, the writer sat idle from each
 * commit until the busy event loop took its answer and handed it the next batch: the send bench's
 * throughput was ~20% lower (2 runs each of 1, 2, 3 and 4; 3 was best). A few, not more: an event-loop
 * write that finds the writer busy waits in SQLite's busy handler until the writer's batches are done.
 */
const MAX_IN_FLIGHT = 3;

interface PendingDelivery {
  delivery: Delivery;
  resolve: (result: DeliverResult) => void;
  reject: (err: unknown) => void;
}
