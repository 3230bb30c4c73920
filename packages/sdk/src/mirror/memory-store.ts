import type { AcceptOptions, AcceptSource, LedgerEntry, LedgerStore, Reservation } from './store.js';
import { ACCEPT_SOURCES, otherSource } from './store.js';

interface Expiring {
  value: number;
  expiresAt: number;
}

/** One entry with what the store keeps beside the counts. */
interface Entry extends LedgerEntry {
  generation: number;
  /** The latest accept, seconds since the epoch (0: none). */
  acceptAt: number;
}

/**
 * Everything a `MemoryLedgerStore` holds, as plain JSON (for a process that saves it to a file). Version 1
 * (without the last two entry fields) is still read.
 */
export interface LedgerSnapshot {
  version: 1 | 2;
  /** [openid, templateId, count, active, latest accept (s), generation] */
  entries: [string, string, number, boolean, number?, number?][];
  /** Pairing counters and seen ids: [key, value, expiresAt (ms since epoch)] */
  marks: [string, number, number][];
}

export interface MemoryLedgerStoreOptions {
  /** The clock of the TTLs; `Date.now` by default. */
  now?: () => number;
  /** Start from a saved snapshot. */
  restore?: LedgerSnapshot;
  /** Called after every change (e.g. to save `snapshot()`); synchronous, in the changing call. */
  onChange?: () => void;
}

const pairKey = (source: AcceptSource, openid: string, templateId: string) =>
  JSON.stringify(['pair', source, openid, templateId]);

/** How many writes between sweeps of expired marks (a sweep is O(size); this keeps it amortised). */
const SWEEP_EVERY = 1024;

/**
 * The ledger in this process's memory: for one process, tests, and development. Every method runs
 * synchronously inside its promise, so it is atomic with respect to other calls.
 *
 * @example
 *   const mirror = createLedgerMirror({ client, store: new MemoryLedgerStore() });
 */
export class MemoryLedgerStore implements LedgerStore {
  private readonly entries = new Map<string, Entry>();
  /** Unmatched accept reports per source (pairing) and seen msgids / event ids, each with an expiry. */
  private readonly marks = new Map<string, Expiring>();
  private writes = 0;
  private readonly now: () => number;
  private readonly onChange: (() => void) | undefined;

  constructor(options: MemoryLedgerStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.onChange = options.onChange;
    if (options.restore) this.restore(options.restore);
  }

  /**
   * The store as JSON, to save and pass back as `restore`. Reservations are not kept: a send in flight when
   * the process stopped has an unknown outcome, so its send goes back to the count (if the platform did
   * spend it, its sent event says so).
   *
   * @example
   *   const store = new MemoryLedgerStore({ restore: JSON.parse(readFileSync(path, 'utf8')) });
   *   process.once('SIGTERM', () => writeFileSync(path, JSON.stringify(store.snapshot())));
   */
  snapshot(): LedgerSnapshot {
    const now = this.now();
    return {
      version: 2,
      entries: [...this.entries].map(([key, e]) => {
        const [openid, templateId] = JSON.parse(key) as [string, string];
        return [openid, templateId, e.count + e.reserved, e.active, e.acceptAt, e.generation];
      }),
      marks: [...this.marks].filter(([, m]) => m.expiresAt > now).map(([k, m]) => [k, m.value, m.expiresAt]),
    };
  }

  private restore(snapshot: LedgerSnapshot): void {
    if (snapshot.version !== 1 && snapshot.version !== 2)
      throw new Error(`ledger snapshot: unknown version ${String(snapshot.version)}`);
    for (const [openid, templateId, count, active, acceptAt = 0, generation = 0] of snapshot.entries)
      this.entries.set(JSON.stringify([openid, templateId]), {
        count,
        reserved: 0,
        active,
        acceptAt,
        generation,
      });
    for (const [key, value, expiresAt] of snapshot.marks) this.marks.set(key, { value, expiresAt });
  }

  private entry(openid: string, templateId: string): Entry {
    const key = JSON.stringify([openid, templateId]);
    let e = this.entries.get(key);
    if (!e) {
      e = { count: 0, reserved: 0, active: false, acceptAt: 0, generation: 0 };
      this.entries.set(key, e);
    }
    return e;
  }

  private mark(key: string): number {
    const m = this.marks.get(key);
    if (!m) return 0;
    if (m.expiresAt <= this.now()) {
      this.marks.delete(key);
      return 0;
    }
    return m.value;
  }

  private setMark(key: string, value: number, ttlMs: number, keepExpiry = false): void {
    const old = this.marks.get(key);
    const expiresAt = keepExpiry && old ? old.expiresAt : this.now() + ttlMs;
    this.marks.set(key, { value, expiresAt });
    if (++this.writes % SWEEP_EVERY === 0) this.sweep();
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, m] of this.marks) if (m.expiresAt <= now) this.marks.delete(k);
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  async get(openid: string, templateId: string): Promise<LedgerEntry> {
    const e = this.entries.get(JSON.stringify([openid, templateId]));
    return e
      ? { count: e.count, reserved: e.reserved, active: e.active }
      : { count: 0, reserved: 0, active: false };
  }

  async accept(
    openid: string,
    templateId: string,
    source: AcceptSource,
    pairTtlMs: number,
    options: AcceptOptions = {},
  ): Promise<boolean> {
    if (options.once) {
      const onceKey = JSON.stringify(['once', openid, templateId, options.once.id]);
      if (this.mark(onceKey) > 0) return false;
      this.setMark(onceKey, 1, options.once.ttlMs);
    }
    const e = this.entry(openid, templateId);
    e.acceptAt = Math.max(e.acceptAt, options.at ?? this.nowSeconds());
    const otherKey = pairKey(otherSource(source), openid, templateId);
    const unmatched = this.mark(otherKey);
    let grew = false;
    if (unmatched > 0) {
      this.setMark(otherKey, unmatched - 1, pairTtlMs, true);
    } else {
      e.count += 1;
      const ownKey = pairKey(source, openid, templateId);
      this.setMark(ownKey, this.mark(ownKey) + 1, pairTtlMs);
      grew = true;
    }
    this.onChange?.();
    return grew;
  }

  async setActive(openid: string, templateId: string, active: boolean, at?: number): Promise<void> {
    const e = this.entry(openid, templateId);
    e.active = active;
    if (active) e.acceptAt = Math.max(e.acceptAt, at ?? this.nowSeconds());
    this.onChange?.();
  }

  async reset(openid: string, templateId: string, at?: number): Promise<boolean> {
    const e = this.entry(openid, templateId);
    if (at !== undefined && at < e.acceptAt) return false;
    Object.assign(e, { count: 0, reserved: 0, active: false, generation: e.generation + 1 });
    for (const source of ACCEPT_SOURCES) this.marks.delete(pairKey(source, openid, templateId));
    this.onChange?.();
    return true;
  }

  async reserve(openid: string, templateId: string): Promise<Reservation> {
    const e = this.entry(openid, templateId);
    if (e.active) return { kind: 'long-term' };
    if (e.count <= 0) return null;
    e.count -= 1;
    e.reserved += 1;
    this.onChange?.();
    return { kind: 'one-time', generation: e.generation };
  }

  async release(openid: string, templateId: string, generation: number): Promise<void> {
    const e = this.entry(openid, templateId);
    if (e.generation !== generation || e.reserved <= 0) return;
    e.reserved -= 1;
    e.count += 1;
    this.onChange?.();
  }

  async spend(
    openid: string,
    templateId: string,
    msgid: string,
    seenTtlMs: number,
    generation?: number,
  ): Promise<boolean> {
    const key = JSON.stringify(['msg', openid, templateId, msgid]);
    if (this.mark(key) > 0) return false;
    this.setMark(key, 1, seenTtlMs);
    const e = this.entry(openid, templateId);
    // Reserved before a reset: the reset took it already.
    const stale = generation !== undefined && generation !== e.generation;
    if (!stale && e.reserved > 0) e.reserved -= 1;
    else if (!stale && e.count > 0) e.count -= 1;
    this.onChange?.();
    return true;
  }

  async markSeen(eventId: string, ttlMs: number): Promise<boolean> {
    const key = JSON.stringify(['seen', eventId]);
    if (this.mark(key) > 0) return false;
    this.setMark(key, 1, ttlMs);
    this.onChange?.();
    return true;
  }

  async seen(eventId: string): Promise<boolean> {
    return this.mark(JSON.stringify(['seen', eventId])) > 0;
  }

  async close(): Promise<void> {}
}
