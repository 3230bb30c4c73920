import type { PushDeliveryStatus, PushEventName, PushFormat, PushMode } from '@beckon/protocol';
import type Database from 'better-sqlite3';
import type {
  PushAttempt,
  PushConfigRecord,
  PushDeliveryQuery,
  PushDeliveryRecord,
  PushEnqueue,
  PushStore,
} from '../port.js';
import { statements } from './statements.js';

interface ConfigRow {
  appid: string;
  url: string;
  token: string;
  encoding_aes_key: string | null;
  format: PushFormat;
  mode: PushMode;
  verified_at: number;
  updated_at: number;
}
const toConfig = (r: ConfigRow): PushConfigRecord => ({
  appid: r.appid,
  url: r.url,
  token: r.token,
  encodingAESKey: r.encoding_aes_key,
  format: r.format,
  mode: r.mode,
  verifiedAt: r.verified_at,
  updatedAt: r.updated_at,
});

interface OutboxRow {
  id: number;
  appid: string;
  user_id: string;
  openid: string | null;
  event: PushEventName;
  data: string;
  created_at: number;
  status: PushDeliveryStatus;
  attempts: number;
  next_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: number | null;
}
const toDelivery = (r: OutboxRow): PushDeliveryRecord => ({
  id: r.id,
  appid: r.appid,
  userId: r.user_id,
  openid: r.openid,
  event: r.event,
  data: JSON.parse(r.data),
  createdAt: r.created_at,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastStatus: r.last_status,
  lastError: r.last_error,
  deliveredAt: r.delivered_at,
});

/** Written only while the app's configuration exists: the check is the same statement as the write. */
const ENQUEUE = `INSERT INTO push_outbox (appid, user_id, openid, event, data, created_at, next_attempt_at)
  SELECT @appid, @userId, @openid, @event, @data, @at, @at
  WHERE EXISTS (SELECT 1 FROM push_configs WHERE appid = @appid)
  RETURNING *`;

/**
 * The outbox as the consent and send transactions write it: called inside their transaction, so an
 * event exists exactly when its cause committed. It knows in memory which apps have push enabled (this
 * adapter is the only writer of push_configs), so a write for an app without push costs a Set lookup.
 */
export class OutboxWriter {
  private readonly sql;

  constructor(
    db: Database.Database,
    /**
     * The apps with push on: SqlitePush's configurations, or a writer thread's reads of them, which it
     * forgets as each transaction begins (ENQUEUE checks again).
     */
    private readonly configs: { has(appid: string): boolean; forget?(): void },
  ) {
    this.sql = statements(db);
  }

  /** Called as a transaction that may write begins: what was read of the configurations is stale now. */
  beginTransaction(): void {
    this.configs.forget?.();
  }

  enabled(appid: string): boolean {
    return this.configs.has(appid);
  }

  /** Inside the caller's transaction; undefined when the app has push off (nothing written). */
  write(e: PushEnqueue): OutboxRow | undefined {
    if (!this.enabled(e.appid)) return undefined;
    return this.sql(ENQUEUE).get({
      appid: e.appid,
      userId: e.userId,
      openid: e.openid ?? null,
      event: e.event,
      data: JSON.stringify(e.data),
      at: e.at,
    }) as OutboxRow | undefined;
  }
}

/** The heads of each user's queue that are due and not leased (a user's later rows wait behind them). */
const DUE_HEADS = `SELECT o.id FROM push_outbox o
  WHERE o.status = 'pending' AND o.next_attempt_at <= @now AND o.lease_until <= @now
    AND NOT EXISTS (SELECT 1 FROM push_outbox p
      WHERE p.status = 'pending' AND p.appid = o.appid AND p.user_id = o.user_id AND p.id < o.id)
    AND EXISTS (SELECT 1 FROM push_configs c WHERE c.appid = o.appid)
  ORDER BY o.next_attempt_at, o.id LIMIT @limit`;

export class SqlitePush implements PushStore {
  private readonly sql;
  /** Every configuration, read once: this adapter is the only writer of push_configs. */
  private readonly configs = new Map<string, PushConfigRecord>();
  readonly outbox: OutboxWriter;

  constructor(private readonly db: Database.Database) {
    this.sql = statements(db);
    for (const row of this.sql('SELECT * FROM push_configs').all() as ConfigRow[]) {
      this.configs.set(row.appid, Object.freeze(toConfig(row)));
    }
    this.outbox = new OutboxWriter(db, this.configs);
  }

  async getConfig(appid: string): Promise<PushConfigRecord | undefined> {
    return this.configs.get(appid);
  }

  async setConfig(c: PushConfigRecord): Promise<void> {
    this.sql(
      `INSERT INTO push_configs (appid, url, token, encoding_aes_key, format, mode, verified_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (appid) DO UPDATE SET url = excluded.url, token = excluded.token,
         encoding_aes_key = excluded.encoding_aes_key, format = excluded.format, mode = excluded.mode,
         verified_at = excluded.verified_at, updated_at = excluded.updated_at`,
    ).run(c.appid, c.url, c.token, c.encodingAESKey, c.format, c.mode, c.verifiedAt, c.updatedAt);
    // After the commit: a transaction that began earlier cannot be told push is on before it is.
    this.configs.set(c.appid, Object.freeze({ ...c }));
  }

  async deleteConfig(appid: string): Promise<boolean> {
    const deleted = this.db
      .transaction(() => {
        const gone = this.sql('DELETE FROM push_configs WHERE appid = ?').run(appid).changes === 1;
        this.sql(
          `UPDATE push_outbox SET status = 'failed', next_attempt_at = NULL, lease_owner = NULL,
             lease_until = 0, last_error = 'push disabled'
           WHERE appid = ? AND status = 'pending'`,
        ).run(appid);
        return gone;
      })
      .immediate();
    this.configs.delete(appid);
    return deleted;
  }

  async enqueue(e: PushEnqueue): Promise<PushDeliveryRecord | undefined> {
    const row = this.outbox.write(e);
    return row && toDelivery(row);
  }

  async claim(owner: string, now: number, leaseMs: number, limit: number): Promise<PushDeliveryRecord[]> {
    if (limit <= 0) return [];
    return this.db
      .transaction(() => {
        const ids = this.sql(DUE_HEADS).pluck().all({ now, limit }) as number[];
        const lease = this.sql(
          'UPDATE push_outbox SET lease_owner = ?, lease_until = ? WHERE id = ? RETURNING *',
        );
        return ids.map((id) => toDelivery(lease.get(owner, now + leaseMs, id) as OutboxRow));
      })
      .immediate();
  }

  async recordAttempt(id: number, owner: string, a: PushAttempt): Promise<boolean> {
    const status: PushDeliveryStatus = a.delivered ? 'delivered' : a.retryAt === null ? 'failed' : 'pending';
    return (
      this.sql(
        `UPDATE push_outbox SET status = @status, attempts = attempts + 1, last_status = @httpStatus,
           last_error = @error, next_attempt_at = @next, delivered_at = @deliveredAt,
           lease_owner = NULL, lease_until = 0
         WHERE id = @id AND lease_owner = @owner AND status = 'pending'`,
      ).run({
        id,
        owner,
        status,
        httpStatus: a.httpStatus,
        error: a.error,
        next: status === 'pending' ? a.retryAt : null,
        deliveredAt: a.delivered ? a.at : null,
      }).changes === 1
    );
  }

  async deliveries(appid: string, q: PushDeliveryQuery): Promise<PushDeliveryRecord[]> {
    const rows = this.sql(
      `SELECT * FROM push_outbox WHERE appid = @appid AND id < @before
         AND (@status IS NULL OR status = @status)
       ORDER BY id DESC LIMIT @limit`,
    ).all({
      appid,
      before: q.before ?? Number.MAX_SAFE_INTEGER,
      status: q.status ?? null,
      limit: q.limit,
    }) as OutboxRow[];
    return rows.map(toDelivery);
  }
}
