import { isPushAccepted, PUSH_TIMEOUT_MS } from '@beckon/protocol';
import type { Context } from '../context.js';
import { randomHex } from '../ids.js';
import type { PushAttempt, PushDeliveryRecord } from '../store/port.js';
import { recipientOf } from './log.js';
import { buildPushRequest } from './render.js';
import { exchange, quoteBody } from './transport.js';

export interface DispatcherOptions {
  /** Rows in flight at once, each of a different user (default 16). */
  concurrency?: number;
  /** How often to look for due rows when idle, in real milliseconds (default 500). */
  pollMs?: number;
  /** How long a claimed row is held before another dispatcher may take it (default 60 s). */
  leaseMs?: number;
  /** Attempts before a row is given up (default 12: about an hour of retries). */
  maxAttempts?: number;
  /** The developer's server's time to answer (default PUSH_TIMEOUT_MS, 5 s). */
  timeoutMs?: number;
  /** Wait before the next attempt after `attempts` failed ones (default: 5 s doubling, at most 10 min). */
  backoff?: (attempts: number) => number;
  log?: { warn(obj: object, msg: string): void };
}

/** 5 s, 10 s, 20 s … doubling, at most 10 minutes. */
export const defaultBackoff = (attempts: number): number =>
  Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 10 * 60_000);

/**
 * Sends the outbox to the developers' servers: at least once (a row is done only when the receiver
 * accepted it or it was given up), in order per user (the store hands out only the oldest pending row of
 * each user), several users in parallel. Rows are leased, so dispatchers on several nodes never send the
 * same row at once; a dispatcher that dies mid-send loses its lease and the row goes again.
 * Time (due, lease, backoff) is `ctx.clock`; only the idle poll and the receiver's timeout are real time.
 */
export class PushDispatcher {
  /** Fences this dispatcher's writes: an attempt recorded after the lease passed on is dropped. */
  readonly owner = `dispatcher-${randomHex(8)}`;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly backoff: (attempts: number) => number;
  private readonly inFlight = new Set<Promise<void>>();
  private pumping: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: Context,
    private readonly options: DispatcherOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 16;
    this.pollMs = options.pollMs ?? 500;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 12;
    this.timeoutMs = options.timeoutMs ?? PUSH_TIMEOUT_MS;
    this.backoff = options.backoff ?? defaultBackoff;
  }

  /** Polls for due rows until `stop`. */
  start(): this {
    this.stopped = false;
    const tick = () => {
      this.pump()
        .catch((err: unknown) => this.options.log?.warn({ err }, 'push: could not claim outbox rows'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.pollMs);
        });
    };
    tick();
    return this;
  }

  /** Stops polling and waits for the deliveries in flight (each ends within the receiver's timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pumping?.catch(() => {});
    await Promise.all([...this.inFlight]);
  }

  /**
   * Sends every row that is due now, and the rows that become due behind them (a user's next row after
   * its predecessor is delivered), until none is left: what tests call after moving the clock.
   */
  async drain(): Promise<void> {
    for (;;) {
      await this.pump();
      if (this.inFlight.size === 0) return;
      await Promise.all([...this.inFlight]);
    }
  }

  /** Fills the free slots with due rows; called again whenever a delivery ends. */
  private pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      try {
        do {
          this.again = false;
          await this.fill();
        } while (this.again);
      } finally {
        this.pumping = undefined;
      }
    })();
    return this.pumping;
  }

  private async fill(): Promise<void> {
    const free = this.concurrency - this.inFlight.size;
    if (free <= 0) return;
    const rows = await this.ctx.store.push.claim(this.owner, this.ctx.clock.now(), this.leaseMs, free);
    for (const row of rows) {
      const delivery: Promise<void> = this.deliver(row)
        .catch((err: unknown) => this.options.log?.warn({ err, id: row.id }, 'push: attempt not recorded'))
        .finally(() => {
          this.inFlight.delete(delivery);
          if (!this.stopped) void this.pump().catch(() => {});
        });
      this.inFlight.add(delivery);
    }
  }

  private async deliver(row: PushDeliveryRecord): Promise<void> {
    const outcome = await this.attempt(row);
    const attempts = row.attempts + 1;
    const at = this.ctx.clock.now();
    const retryAt = outcome.delivered || attempts >= this.maxAttempts ? null : at + this.backoff(attempts);
    const attempt: PushAttempt = { at, ...outcome, retryAt };
    await this.ctx.store.push.recordAttempt(row.id, this.owner, attempt);
    if (!outcome.delivered && retryAt === null) {
      this.options.log?.warn(
        { id: row.id, appid: row.appid, event: row.event, attempts, error: outcome.error },
        'push: gave up on an event',
      );
    }
  }

  /** One POST; never throws: every failure is an outcome to record. */
  private async attempt(
    row: PushDeliveryRecord,
  ): Promise<Pick<PushAttempt, 'delivered' | 'httpStatus' | 'error'>> {
    let request: ReturnType<typeof buildPushRequest>;
    try {
      const [config, app] = await Promise.all([
        this.ctx.store.push.getConfig(row.appid),
        this.ctx.store.apps.get(row.appid),
      ]);
      if (!config || !app) return { delivered: false, httpStatus: null, error: 'push disabled' };
      const to = { originalId: app.originalId, openid: await recipientOf(this.ctx, row) };
      request = buildPushRequest(config, row, to, this.ctx.clock.now());
    } catch (err) {
      return { delivered: false, httpStatus: null, error: `not sent: ${(err as Error).message}` };
    }
    try {
      const answer = await exchange({
        method: 'POST',
        url: request.url,
        body: request.body,
        contentType: request.contentType,
        timeoutMs: this.timeoutMs,
      });
      if (isPushAccepted(answer.status, answer.body)) {
        return { delivered: true, httpStatus: answer.status, error: null };
      }
      return {
        delivered: false,
        httpStatus: answer.status,
        error: `HTTP ${answer.status} ${quoteBody(answer.body)}: not "success" or empty`,
      };
    } catch (err) {
      return { delivered: false, httpStatus: null, error: (err as Error).message };
    }
  }
}
