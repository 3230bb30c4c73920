import { type Clock, systemClock } from '../clock.js';
import { randomHex } from '../ids.js';
import type { Bus } from './port.js';

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

/** The Bus of a single node: everything lives in this process. */
export class MemoryBus implements Bus {
  private readonly channels = new Map<string, Set<(message: unknown) => void>>();
  private readonly counters = new Map<string, Expiring<number>>();
  private readonly locks = new Map<string, Expiring<string>>();
  private writes = 0;
  private lockSeq = 0;
  private readonly ownerPrefix = `${randomHex(8)}-`;

  constructor(private readonly clock: Clock = systemClock) {}

  async publish(channel: string, message: unknown): Promise<void> {
    const handlers = this.channels.get(channel);
    if (!handlers) return;
    // Each subscriber gets its own copy, made through JSON as over Redis, so both adapters carry the same.
    const text = JSON.stringify(message);
    for (const handler of [...handlers]) {
      try {
        handler(JSON.parse(text));
      } catch (err) {
        // One subscriber's fault must not cost the publisher or the other subscribers their message.
        process.emitWarning(`bus subscriber on ${channel} threw: ${(err as Error)?.stack ?? err}`);
      }
    }
  }

  async subscribe(channel: string, handler: (message: unknown) => void): Promise<() => Promise<void>> {
    const handlers = this.channels.get(channel) ?? new Set();
    this.channels.set(channel, handlers);
    // Wrapped so that the same function subscribed twice is two subscriptions, as with Redis clients.
    const subscription = (message: unknown) => handler(message);
    handlers.add(subscription);
    return async () => {
      handlers.delete(subscription);
      if (handlers.size === 0 && this.channels.get(channel) === handlers) this.channels.delete(channel);
    };
  }

  async hit(key: string, windowMs: number): Promise<number> {
    const now = this.clock.now();
    const current = this.live(this.counters, key, now);
    const count = (current?.value ?? 0) + 1;
    this.counters.set(key, { value: count, expiresAt: current?.expiresAt ?? now + windowMs });
    this.sweepNowAndThen(now);
    return count;
  }

  async hits(key: string): Promise<number> {
    return this.live(this.counters, key, this.clock.now())?.value ?? 0;
  }

  async lock(key: string, ttlMs: number): Promise<string | null> {
    const now = this.clock.now();
    if (this.live(this.locks, key, now)) return null;
    // Unique and unguessable enough within a process; randomBytes per lock showed up in send profiles.
    const owner = `${this.ownerPrefix}${++this.lockSeq}`;
    this.locks.set(key, { value: owner, expiresAt: now + ttlMs });
    this.sweepNowAndThen(now);
    return owner;
  }

  async unlock(key: string, owner: string): Promise<boolean> {
    const held = this.live(this.locks, key, this.clock.now());
    if (held?.value !== owner) return false;
    this.locks.delete(key);
    return true;
  }

  async close(): Promise<void> {
    this.channels.clear();
    this.counters.clear();
    this.locks.clear();
  }

  /** Keys nobody touches again would stay forever; drop the expired ones every so many writes. */
  private sweepNowAndThen(now: number): void {
    if (++this.writes % 1024 !== 0) return;
    for (const map of [this.counters, this.locks] as Map<string, Expiring<unknown>>[]) {
      for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key);
    }
  }

  private live<T>(map: Map<string, Expiring<T>>, key: string, now: number): Expiring<T> | undefined {
    const entry = map.get(key);
    if (entry && entry.expiresAt <= now) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }
}
