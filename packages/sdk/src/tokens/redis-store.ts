import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ReleaseLock, StoredToken, TokenStore } from './store.js';

// Compare-and-delete in one step: between a GET and a DEL another process may have stored its new token.
const DELETE_IF_TOKEN = `
local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v).token == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
const DELETE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface RedisTokenStoreOptions {
  /** Prefix of every key; give each environment its own when they share a Redis. */
  prefix?: string;
}

/**
 * Tokens in Redis, shared by every process pointing at it: one token per app, one fetch at a time (a
 * `SET NX PX` lock; the others wait and read what the holder stored).
 *
 * @example
 * const tokenStore = new RedisTokenStore(process.env.REDIS_URL!);   // or an ioredis instance you own
 * const client = createClient({ appId, appSecret, tokenStore });
 */
export class RedisTokenStore implements TokenStore {
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;

  constructor(redis: Redis | string, options: RedisTokenStoreOptions = {}) {
    this.owned = typeof redis === 'string';
    this.redis = typeof redis === 'string' ? new Redis(redis, { lazyConnect: false }) : redis;
    this.prefix = options.prefix ?? 'beckon:sdk:token:';
  }

  async get(key: string): Promise<StoredToken | null> {
    const raw = await this.redis.get(this.prefix + key);
    if (raw === null) return null;
    try {
      const value = JSON.parse(raw) as StoredToken;
      return typeof value.token === 'string' && Number.isFinite(value.expiresAt) ? value : null;
    } catch {
      return null;
    }
  }

  async set(key: string, value: StoredToken): Promise<void> {
    const ttl = Math.floor(value.expiresAt - Date.now());
    if (ttl <= 0) return;
    await this.redis.set(this.prefix + key, JSON.stringify(value), 'PX', ttl);
  }

  async invalidate(key: string, token: string): Promise<void> {
    await this.redis.eval(DELETE_IF_TOKEN, 1, this.prefix + key, token);
  }

  async lock(key: string, ttlMs: number): Promise<ReleaseLock | null> {
    const lockKey = `${this.prefix}${key}:lock`;
    const owner = randomBytes(12).toString('hex');
    const ok = await this.redis.set(lockKey, owner, 'PX', ttlMs, 'NX');
    if (ok !== 'OK') return null;
    return async () => {
      await this.redis.eval(DELETE_IF_OWNER, 1, lockKey, owner);
    };
  }

  /** Closes the connection if the store opened it (given a URL); an instance you passed stays yours. */
  async close(): Promise<void> {
    if (this.owned) await this.redis.quit();
  }
}
