import { randomInt } from 'node:crypto';
import { jsonFile } from './json-file.js';

/**
 * @typedef {{ sent: true, msgid: string } | { sent: false, reason: string }} CardOutcome
 *   what became of one card: its msgid, or why it was not sent (no grant, the platform refused)
 *
 * @typedef {object} Order
 * @property {string} id              `DD` + date + number, as the card's order number shows it
 * @property {string} openid
 * @property {string} itemId
 * @property {string} item            the item's name, as the cards show it
 * @property {number} price           in fen (1/100 yuan)
 * @property {'paid' | 'shipped' | 'delivered'} status
 * @property {number} placedAt        ms since epoch
 * @property {number} shipAt          when it ships
 * @property {number} [shippedAt]
 * @property {number} [deliverAt]     when it is delivered (set when it ships)
 * @property {number} [deliveredAt]
 * @property {string} carrier
 * @property {string} trackingNumber
 * @property {{ shipped?: CardOutcome, delivered?: CardOutcome }} cards
 */

/** How many orders one user keeps; older delivered ones are dropped first (a demo's list, not a ledger). */
const MAX_ORDERS_PER_USER = 50;

/**
 * The shop's orders: placed, shipped `shipAfterMs` later, delivered `deliverAfterMs` after that, each step
 * handed to `notify` (which sends the card when the user granted it). Kept in `file`, rewritten atomically
 * on every change; at start every order still on its way is picked up again, and steps that fell due while
 * the shop was down run at once. Steps run one at a time, so the shop never sends two cards to one user at
 * once (the platform would answer 43108). A crash between a card and the file write sends that card again
 * at the next start (at least once).
 */
export class OrderBook {
  /**
   * @param {{ path: string, shipAfterMs: number, deliverAfterMs: number,
   *           notify: (order: Order, step: 'shipped' | 'delivered') => Promise<CardOutcome>,
   *           carrier?: string, now?: () => number, log?: Pick<Console, 'warn'> }} options
   */
  constructor({
    path,
    shipAfterMs,
    deliverAfterMs,
    notify,
    carrier = '顺丰速运',
    now = Date.now,
    log = console,
  }) {
    this.file = jsonFile(path);
    this.shipAfterMs = shipAfterMs;
    this.deliverAfterMs = deliverAfterMs;
    this.notify = notify;
    this.carrier = carrier;
    this.now = now;
    this.log = log;
    /** @type {Order[]} */
    this.orders = [];
    /** @type {Map<string, NodeJS.Timeout>} */
    this.timers = new Map();
    this.steps = Promise.resolve();
    this.stopped = false;
  }

  async load() {
    const saved = await this.file.read({ orders: [] });
    if (!Array.isArray(saved.orders)) throw new Error('orders file: no "orders" list');
    this.orders = saved.orders;
    for (const order of this.orders) this.#schedule(order);
  }

  /** @returns {Promise<Order>} */
  async place({ openid, item }) {
    const placedAt = this.now();
    /** @type {Order} */
    const order = {
      id: this.#newId(placedAt),
      openid,
      itemId: item.id,
      item: item.name,
      price: item.price,
      status: 'paid',
      placedAt,
      shipAt: placedAt + this.shipAfterMs,
      carrier: this.carrier,
      trackingNumber: `SF${String(randomInt(1e12)).padStart(13, '0')}`,
      cards: {},
    };
    this.orders.push(order);
    this.#trim(openid);
    await this.file.write({ orders: this.orders });
    this.#schedule(order);
    return order;
  }

  /** @returns {Order | undefined} */
  get(id) {
    return this.orders.find((o) => o.id === id);
  }

  /** The user's orders, newest first. */
  list(openid) {
    return this.orders.filter((o) => o.openid === openid).reverse();
  }

  /** No more steps; waits for the one running, then saves. */
  async stop() {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.steps;
    await this.file.write({ orders: this.orders });
  }

  /** `DD` + the day + a number one above the day's last: unique in this book, and a `character_string`. */
  #newId(now) {
    const day = new Date(now).toISOString().slice(0, 10).replaceAll('-', '');
    const prefix = `DD${day}`;
    const last = this.orders
      .filter((o) => o.id.startsWith(prefix))
      .reduce((max, o) => Math.max(max, Number(o.id.slice(prefix.length))), 0);
    return `${prefix}${String(last + 1).padStart(4, '0')}`;
  }

  #trim(openid) {
    const mine = this.orders.filter((o) => o.openid === openid);
    let excess = mine.length - MAX_ORDERS_PER_USER;
    for (const old of mine) {
      if (excess <= 0) break;
      if (old.status !== 'delivered') continue;
      this.orders.splice(this.orders.indexOf(old), 1);
      excess--;
    }
  }

  #schedule(order) {
    if (order.status === 'delivered' || this.stopped) return;
    const at = order.status === 'paid' ? order.shipAt : (order.deliverAt ?? 0);
    clearTimeout(this.timers.get(order.id));
    const timer = setTimeout(
      () => {
        this.timers.delete(order.id);
        this.steps = this.steps
          .then(() => this.#step(order))
          .catch((err) => this.log.warn(`order ${order.id}: ${err.message}`));
      },
      Math.max(0, at - this.now()),
    );
    this.timers.set(order.id, timer);
  }

  /** The order's next step, and its card (`notify` says what became of it). */
  async #step(order) {
    if (this.stopped || order.status === 'delivered') return;
    const step = order.status === 'paid' ? 'shipped' : 'delivered';
    const now = this.now();
    if (step === 'shipped') {
      order.shippedAt = now;
      order.deliverAt = now + this.deliverAfterMs;
    } else order.deliveredAt = now;
    order.status = step;
    order.cards[step] = await this.notify(order, step);
    await this.file.write({ orders: this.orders });
    this.#schedule(order);
  }
}
