import { Redis } from 'ioredis';
import type { AcceptSource, LedgerEntry, LedgerStore, Reservation } from './store.js';

/*
 * Each step is one Lua script, so it runs atomically on the Redis server: concurrent reserves from many
 * processes can never take a count below zero. An entry is a hash {count, reserved, active}; the pairing
 * counters and the seen msgids are keys of their own with a TTL. Every key of one (openid, template) shares
 * the hash tag `{openid template}`, so a script touches one slot (Redis Cluster-safe).
 */
const SCRIPTS = {
  // KEYS: entry, own pairing counter, other pairing counter. ARGV: pairing TTL (ms).
  beckonLedgerAccept: {
    keys: 3,
    lua: `
      local other = tonumber(redis.call('GET', KEYS[3]) or '0')
      if other > 0 then redis.call('DECR', KEYS[3]) return 0 end
      redis.call('HINCRBY', KEYS[1], 'count', 1)
      redis.call('INCR', KEYS[2])
      redis.call('PEXPIRE', KEYS[2], ARGV[1])
      return 1`,
  },
  // KEYS: entry. Answers 2 long-term, 1 one-time, 0 none.
  beckonLedgerReserve: {
    keys: 1,
    lua: `
      if redis.call('HGET', KEYS[1], 'active') == '1' then return 2 end
      local count = tonumber(redis.call('HGET', KEYS[1], 'count') or '0')
      if count <= 0 then return 0 end
      redis.call('HINCRBY', KEYS[1], 'count', -1)
      redis.call('HINCRBY', KEYS[1], 'reserved', 1)
      return 1`,
  },
  // KEYS: entry.
  beckonLedgerRelease: {
    keys: 1,
    lua: `
      local reserved = tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0')
      if reserved <= 0 then return 0 end
      redis.call('HINCRBY', KEYS[1], 'reserved', -1)
      redis.call('HINCRBY', KEYS[1], 'count', 1)
      return 1`,
  },
  // KEYS: entry, the msgid's seen key. ARGV: seen TTL (ms).
  beckonLedgerSpend: {
    keys: 2,
    lua: `
      if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return 0 end
      local reserved = tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0')
      if reserved > 0 then
        redis.call('HINCRBY', KEYS[1], 'reserved', -1)
      elseif tonumber(redis.call('HGET', KEYS[1], 'count') or '0') > 0 then
        redis.call('HINCRBY', KEYS[1], 'count', -1)
      end
      return 1`,
  },
} as const;

type ScriptName = keyof typeof SCRIPTS;
type ScriptCall = (...keysAndArgs: (string | number)[]) => Promise<number>;

export interface RedisLedgerStoreOptions {
  /** An ioredis client (kept open on `close()`), or a URL such as `redis://127.0.0.1:6379` (closed on `close()`). */
  redis: Redis | string;
  /** Prefix of every key; one per app (and per test run). Default `beckon:ledger:`. */
  prefix?: string;
}

/**
 * The ledger in Redis: many processes of the developer's backend share one count per (openid, template).
 *
 * @example
 *   const store = new RedisLedgerStore({ redis: process.env.REDIS_URL!, prefix: `ledger:${appId}:` });
 *   const mirror = createLedgerMirror({ client, store });
 */
export class RedisLedgerStore implements LedgerStore {
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;

  constructor(options: RedisLedgerStoreOptions) {
    this.owned = typeof options.redis === 'string';
    this.redis = typeof options.redis === 'string' ? new Redis(options.redis) : options.redis;
    this.prefix = options.prefix ?? 'beckon:ledger:';
    for (const [name, { keys, lua }] of Object.entries(SCRIPTS)) {
      // defineCommand sends EVALSHA and falls back to EVAL once per connection.
      if (!(name in this.redis)) this.redis.defineCommand(name, { numberOfKeys: keys, lua });
    }
  }

  private run(name: ScriptName, ...keysAndArgs: (string | number)[]): Promise<number> {
    return (this.redis as unknown as Record<ScriptName, ScriptCall>)[name](...keysAndArgs);
  }

  /** The hash tag of one (openid, template): JSON keeps any character of either unambiguous. */
  private tag(openid: string, templateId: string): string {
    return `${this.prefix}{${JSON.stringify([openid, templateId]).replaceAll('}', '\\u007d')}}`;
  }

  async get(openid: string, templateId: string): Promise<LedgerEntry> {
    const h = await this.redis.hgetall(this.tag(openid, templateId));
    return { count: Number(h.count ?? 0), reserved: Number(h.reserved ?? 0), active: h.active === '1' };
  }

  async accept(
    openid: string,
    templateId: string,
    source: AcceptSource,
    pairTtlMs: number,
  ): Promise<boolean> {
    const t = this.tag(openid, templateId);
    const other = source === 'client' ? 'event' : 'client';
    return (
      (await this.run('beckonLedgerAccept', t, `${t}:pair:${source}`, `${t}:pair:${other}`, pairTtlMs)) === 1
    );
  }

  async setActive(openid: string, templateId: string, active: boolean): Promise<void> {
    await this.redis.hset(this.tag(openid, templateId), 'active', active ? '1' : '0');
  }

  async reset(openid: string, templateId: string): Promise<void> {
    await this.redis.hset(this.tag(openid, templateId), { count: 0, reserved: 0, active: '0' });
  }

  async reserve(openid: string, templateId: string): Promise<Reservation> {
    const r = await this.run('beckonLedgerReserve', this.tag(openid, templateId));
    return r === 2 ? 'long-term' : r === 1 ? 'one-time' : null;
  }

  async release(openid: string, templateId: string): Promise<void> {
    await this.run('beckonLedgerRelease', this.tag(openid, templateId));
  }

  async spend(openid: string, templateId: string, msgid: string, seenTtlMs: number): Promise<boolean> {
    const t = this.tag(openid, templateId);
    return (await this.run('beckonLedgerSpend', t, `${t}:msg:${msgid}`, seenTtlMs)) === 1;
  }

  async markSeen(eventId: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}seen:${eventId}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit();
  }
}
