import { Redis } from 'ioredis';
import type { AcceptOptions, AcceptSource, LedgerEntry, LedgerStore, Reservation } from './store.js';
import { otherSource } from './store.js';

/*
 * Each step is one Lua script, so it runs atomically on the Redis server: concurrent reserves from many
 * processes can never take a count below zero. An entry is a hash {count, reserved, active, acceptAt, gen};
 * the pairing counters, the applied event items and the seen msgids are keys of their own with a TTL. Every key of one (openid, template) shares
 * the hash tag `{openid template}`, so a script touches one slot (Redis Cluster-safe).
 */
const SCRIPTS = {
  // KEYS: entry, own pairing counter, other pairing counter, the once key of the event item.
  // ARGV: pairing TTL (ms), accept time (s), once TTL (ms; 0 when the accept is not an event item).
  beckonLedgerAccept: {
    keys: 4,
    lua: `
      if ARGV[3] ~= '0' and not redis.call('SET', KEYS[4], '1', 'NX', 'PX', ARGV[3]) then return 0 end
      local at = tonumber(ARGV[2])
      if at > tonumber(redis.call('HGET', KEYS[1], 'acceptAt') or '0') then
        redis.call('HSET', KEYS[1], 'acceptAt', at)
      end
      local other = tonumber(redis.call('GET', KEYS[3]) or '0')
      if other > 0 then redis.call('DECR', KEYS[3]) return 0 end
      redis.call('HINCRBY', KEYS[1], 'count', 1)
      redis.call('INCR', KEYS[2])
      redis.call('PEXPIRE', KEYS[2], ARGV[1])
      return 1`,
  },
  // KEYS: entry. ARGV: '1' active or '0', accept time (s).
  beckonLedgerSetActive: {
    keys: 1,
    lua: `
      redis.call('HSET', KEYS[1], 'active', ARGV[1])
      local at = tonumber(ARGV[2])
      if ARGV[1] == '1' and at > tonumber(redis.call('HGET', KEYS[1], 'acceptAt') or '0') then
        redis.call('HSET', KEYS[1], 'acceptAt', at)
      end
      return 1`,
  },
  // KEYS: entry, both pairing counters. ARGV: the change's time (s), '' for none. Answers 1 reset, 0 stale.
  beckonLedgerReset: {
    keys: 3,
    lua: `
      if ARGV[1] ~= '' and tonumber(ARGV[1]) < tonumber(redis.call('HGET', KEYS[1], 'acceptAt') or '0') then
        return 0
      end
      redis.call('HSET', KEYS[1], 'count', 0, 'reserved', 0, 'active', '0')
      redis.call('HINCRBY', KEYS[1], 'gen', 1)
      redis.call('DEL', KEYS[2], KEYS[3])
      return 1`,
  },
  // KEYS: entry. Answers {2} long-term, {1, generation} one-time, {0} none.
  beckonLedgerReserve: {
    keys: 1,
    lua: `
      if redis.call('HGET', KEYS[1], 'active') == '1' then return {2} end
      local count = tonumber(redis.call('HGET', KEYS[1], 'count') or '0')
      if count <= 0 then return {0} end
      redis.call('HINCRBY', KEYS[1], 'count', -1)
      redis.call('HINCRBY', KEYS[1], 'reserved', 1)
      return {1, tonumber(redis.call('HGET', KEYS[1], 'gen') or '0')}`,
  },
  // KEYS: entry. ARGV: the reservation's generation.
  beckonLedgerRelease: {
    keys: 1,
    lua: `
      if tonumber(redis.call('HGET', KEYS[1], 'gen') or '0') ~= tonumber(ARGV[1]) then return 0 end
      local reserved = tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0')
      if reserved <= 0 then return 0 end
      redis.call('HINCRBY', KEYS[1], 'reserved', -1)
      redis.call('HINCRBY', KEYS[1], 'count', 1)
      return 1`,
  },
  // KEYS: entry, the msgid's seen key. ARGV: seen TTL (ms), the reservation's generation ('' for none).
  beckonLedgerSpend: {
    keys: 2,
    lua: `
      if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return 0 end
      if ARGV[2] ~= '' and tonumber(redis.call('HGET', KEYS[1], 'gen') or '0') ~= tonumber(ARGV[2]) then
        return 1
      end
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

const nowSeconds = () => Math.floor(Date.now() / 1000);
type ScriptCall = (...keysAndArgs: (string | number)[]) => Promise<number | number[]>;

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

  private run(name: ScriptName, ...keysAndArgs: (string | number)[]): Promise<number | number[]> {
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
    options: AcceptOptions = {},
  ): Promise<boolean> {
    const t = this.tag(openid, templateId);
    // A key even without `once`: every key a script names is in the entry's slot.
    const once = `${t}:once:${options.once?.id ?? ''}`;
    const grew = await this.run(
      'beckonLedgerAccept',
      t,
      `${t}:pair:${source}`,
      `${t}:pair:${otherSource(source)}`,
      once,
      pairTtlMs,
      options.at ?? nowSeconds(),
      options.once ? Math.max(1, options.once.ttlMs) : 0,
    );
    return grew === 1;
  }

  async setActive(openid: string, templateId: string, active: boolean, at?: number): Promise<void> {
    await this.run(
      'beckonLedgerSetActive',
      this.tag(openid, templateId),
      active ? '1' : '0',
      at ?? nowSeconds(),
    );
  }

  async reset(openid: string, templateId: string, at?: number): Promise<boolean> {
    const t = this.tag(openid, templateId);
    return (await this.run('beckonLedgerReset', t, `${t}:pair:client`, `${t}:pair:event`, at ?? '')) === 1;
  }

  async reserve(openid: string, templateId: string): Promise<Reservation> {
    const [kind, generation] = (await this.run(
      'beckonLedgerReserve',
      this.tag(openid, templateId),
    )) as number[];
    if (kind === 2) return { kind: 'long-term' };
    return kind === 1 ? { kind: 'one-time', generation: generation! } : null;
  }

  async release(openid: string, templateId: string, generation: number): Promise<void> {
    await this.run('beckonLedgerRelease', this.tag(openid, templateId), generation);
  }

  async spend(
    openid: string,
    templateId: string,
    msgid: string,
    seenTtlMs: number,
    generation?: number,
  ): Promise<boolean> {
    const t = this.tag(openid, templateId);
    return (await this.run('beckonLedgerSpend', t, `${t}:msg:${msgid}`, seenTtlMs, generation ?? '')) === 1;
  }

  async markSeen(eventId: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}seen:${eventId}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async seen(eventId: string): Promise<boolean> {
    return (await this.redis.exists(`${this.prefix}seen:${eventId}`)) === 1;
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit();
  }
}
