import { jsonFile } from 'beckon-example-shop/src/json-file.js';

/** A run costs one; a full bar is this many. */
export const MAX_STAMINA = 5;

/**
 * @typedef {object} Player
 * @property {number} stamina
 * @property {number | null} refillAt   when the bar is full again, ms since epoch; null when full
 */

/**
 * @typedef {object} StaminaView
 * @property {number} stamina
 * @property {number} maxStamina
 * @property {string | null} refillAt   ISO time, null when full
 */

/**
 * Players' stamina, kept in `path` (rewritten atomically on every change). A run takes one point; the first
 * run from a full bar sets the refill time, `refillMs` later, when the whole bar comes back at once (runs in
 * between do not move it). At that time `onRefill(openid, refillAt)` is called once — the game sends the
 * "Stamina refilled" card from it. Refills that fell due while the game was down are made at `start()`. A
 * crash between a refill's save and its `onRefill` loses that call (at most once: never a second card).
 */
export class StaminaKeeper {
  /**
   * @param {{ path: string, refillMs: number,
   *           onRefill: (openid: string, refillAt: number, context?: unknown) => Promise<unknown>,
   *           log?: Pick<Console, 'warn'>, now?: () => number }} options
   */
  constructor({ path, refillMs, onRefill, log = console, now = Date.now }) {
    this.file = jsonFile(path);
    this.refillMs = refillMs;
    this.onRefill = onRefill;
    this.log = log;
    this.now = now;
    /** @type {Map<string, Player>} players below a full bar (a full bar is not kept) */
    this.players = new Map();
    this.timer = undefined;
    this.running = undefined;
    this.stopped = true;
  }

  async load() {
    const saved = await this.file.read({ players: {} });
    if (saved === null || typeof saved.players !== 'object')
      throw new Error('players file: no "players" object');
    this.players = new Map(Object.entries(saved.players));
  }

  save() {
    return this.file.write({ players: Object.fromEntries(this.players) });
  }

  /** @returns {StaminaView} */
  view(openid) {
    const p = this.players.get(openid) ?? { stamina: MAX_STAMINA, refillAt: null };
    return {
      stamina: p.stamina,
      maxStamina: MAX_STAMINA,
      refillAt: p.refillAt === null ? null : new Date(p.refillAt).toISOString(),
    };
  }

  /** One run: takes a point. Null when the bar is empty (the view says when it refills). */
  async spend(openid) {
    const p = this.players.get(openid) ?? { stamina: MAX_STAMINA, refillAt: null };
    if (p.stamina <= 0) return null;
    p.stamina -= 1;
    p.refillAt ??= this.now() + this.refillMs;
    this.players.set(openid, p);
    await this.save();
    this.#schedule();
    return this.view(openid);
  }

  /**
   * Refills the bar now, as if its time had come (a developer's shortcut), and answers what `onRefill`
   * answered; `{refilled: false}` when the bar is full. `context` is handed to `onRefill`.
   */
  async refillNow(openid, context) {
    while (this.running) await this.running;
    const p = this.players.get(openid);
    if (!p || p.refillAt === null) return { refilled: false };
    this.players.delete(openid);
    await this.save();
    this.#schedule();
    return { refilled: true, outcome: await this.onRefill(openid, this.now(), context) };
  }

  /** Makes every refill that is due; one pass at a time. */
  runDue() {
    this.running ??= this.#pass().finally(() => {
      this.running = undefined;
      this.#schedule();
    });
    return this.running;
  }

  async #pass() {
    const now = this.now();
    /** @type {[string, number][]} */
    const due = [];
    for (const [openid, p] of this.players) {
      if (p.refillAt === null || p.refillAt > now) continue;
      due.push([openid, p.refillAt]);
      // A full bar is the default: nothing to keep.
      this.players.delete(openid);
    }
    if (due.length === 0) return;
    await this.save();
    for (const [openid, refillAt] of due) {
      try {
        await this.onRefill(openid, refillAt);
      } catch (err) {
        this.log.warn(`stamina: refill of ${openid}: ${err?.message ?? err}`);
      }
    }
  }

  /** One timer, for the earliest refill. */
  #schedule() {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    let next = Number.POSITIVE_INFINITY;
    for (const p of this.players.values()) if (p.refillAt !== null) next = Math.min(next, p.refillAt);
    if (next === Number.POSITIVE_INFINITY) return;
    const delay = Math.min(Math.max(0, next - this.now()), 2 ** 31 - 1);
    this.timer = setTimeout(() => {
      this.runDue().catch((err) => this.log.warn(`stamina: ${err.message}`));
    }, delay);
  }

  /** Makes the refills that came due while the game was down, then keeps the timer. */
  async start() {
    this.stopped = false;
    await this.runDue();
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.save();
  }
}
