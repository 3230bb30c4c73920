import { randomUUID } from 'node:crypto';
import { WeChatError } from '@beckon/sdk';
import { jsonFile } from './json-file.js';

/** Platform answers worth another try later: 43108 another send to the user in flight, -1 system busy, 45009 daily cap. */
const TRANSIENT = new Set([-1, 43108, 45009]);
/** With the default backoff (30 s doubling, at most 1 h), the last try is about an hour after the first. */
const MAX_ATTEMPTS = 8;
const DEFAULT_RETRY_BASE_MS = 30_000;
const DEFAULT_RETRY_MAX_MS = 3_600_000;

/**
 * @typedef {object} Reminder
 * @property {string} id
 * @property {string} openid
 * @property {number} at          when to send, ms since epoch
 * @property {Record<string, {value: string}>} data
 * @property {'pending' | 'sent' | 'failed'} status
 * @property {number} attempts
 * @property {number} [nextAttemptAt] after a transient failure: not tried again before this, ms since epoch
 * @property {string} [msgid]
 * @property {string} [error]
 */

/**
 * Scheduled reminders, kept in `file` (rewritten atomically on every change) and sent by a timer loop. At
 * start every pending reminder whose time has passed — also while the shop was down — is sent at once. A
 * crash between a send and the file write can send that reminder once more after restart (at least once).
 * A transient failure is tried again after an exponential backoff per reminder (`retryBaseMs`, doubling, at
 * most `retryMaxMs`), kept in the file with the reminder so a restart does not shorten it.
 */
export class ReminderSchedule {
  /**
   * @param {{ path: string, pollMs: number, send: (r: Reminder) => Promise<bigint>, log?: Pick<Console, 'warn'>,
   *           retryBaseMs?: number, retryMaxMs?: number }} options
   */
  constructor({
    path,
    pollMs,
    send,
    log = console,
    retryBaseMs = DEFAULT_RETRY_BASE_MS,
    retryMaxMs = DEFAULT_RETRY_MAX_MS,
  }) {
    this.file = jsonFile(path);
    this.pollMs = pollMs;
    this.retryBaseMs = retryBaseMs;
    this.retryMaxMs = retryMaxMs;
    this.send = send;
    this.log = log;
    /** @type {Reminder[]} */
    this.reminders = [];
    this.timer = undefined;
    this.running = undefined;
  }

  async load() {
    const saved = await this.file.read({ reminders: [] });
    if (!Array.isArray(saved.reminders)) throw new Error('reminders file: no "reminders" list');
    this.reminders = saved.reminders;
  }

  save() {
    return this.file.write({ reminders: this.reminders });
  }

  /** @returns {Promise<Reminder>} */
  async add({ openid, at, data }) {
    /** @type {Reminder} */
    const reminder = { id: randomUUID(), openid, at, data, status: 'pending', attempts: 0 };
    this.reminders.push(reminder);
    await this.save();
    return reminder;
  }

  get(id) {
    return this.reminders.find((r) => r.id === id);
  }

  /** Sends every pending reminder that is due (and not waiting out a backoff); one pass at a time. */
  runDue(now = Date.now()) {
    this.running ??= this.#pass(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async #pass(now) {
    for (const r of this.reminders) {
      if (r.status !== 'pending' || r.at > now || (r.nextAttemptAt ?? 0) > now) continue;
      r.attempts += 1;
      try {
        r.msgid = (await this.send(r)).toString();
        r.status = 'sent';
        delete r.error;
        delete r.nextAttemptAt;
      } catch (err) {
        // The platform unreachable, or busy: tried again after the backoff; anything else is final.
        const transient = !(err instanceof WeChatError) || TRANSIENT.has(err.errcode);
        r.error = err instanceof WeChatError ? `${err.errcode} ${err.errmsg}` : String(err?.message ?? err);
        if (!transient || r.attempts >= MAX_ATTEMPTS) {
          r.status = 'failed';
          delete r.nextAttemptAt;
        } else {
          r.nextAttemptAt = now + Math.min(this.retryBaseMs * 2 ** (r.attempts - 1), this.retryMaxMs);
        }
        const next = r.nextAttemptAt
          ? ` (next try ${new Date(r.nextAttemptAt).toISOString()})`
          : ' (given up)';
        this.log.warn(`reminder ${r.id}: ${r.error}${next}`);
      }
      await this.save();
    }
  }

  /** Sends what came due while the shop was down, then keeps looking every `pollMs`. */
  async start() {
    await this.runDue();
    const tick = () => {
      this.runDue()
        .catch((err) => this.log.warn(`reminders: ${err.message}`))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.pollMs);
        });
    };
    this.timer = setTimeout(tick, this.pollMs);
  }

  async stop() {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.save();
  }
}
