/** An access token as the token manager keeps it. Times are milliseconds since the epoch. */
export interface StoredToken {
  token: string;
  /** When the platform stops accepting it. */
  expiresAt: number;
  /** When to fetch the next one (the safety margin before `expiresAt`). */
  refreshAt: number;
}

/** Releases a lock taken with `TokenStore.lock`; safe to call after the lock has already expired. */
export type ReleaseLock = () => Promise<void>;

/**
 * Where access tokens live between calls. One store shared by many processes (Redis) makes them share one
 * token: only one of them fetches, the others read what it stored.
 */
export interface TokenStore {
  get(key: string): Promise<StoredToken | null>;
  set(key: string, value: StoredToken): Promise<void>;
  /**
   * Forgets the token stored under `key` only if it is still `token`: when several callers saw the same token
   * refused, the first one's replacement must survive the others' invalidations.
   */
  invalidate(key: string, token: string): Promise<void>;
  /**
   * A short lock so only one holder fetches a new token; `null` when someone else holds it. It expires by
   * itself after `ttlMs`, so a holder that dies never blocks the others for long.
   */
  lock?(key: string, ttlMs: number): Promise<ReleaseLock | null>;
}

/**
 * Tokens in this process's memory: the default. Enough for one process; several processes each fetch their
 * own (fine with `stable_token`, which hands them all the same token).
 *
 * @example
 * const client = createClient({ appId, appSecret, tokenStore: new MemoryTokenStore() });
 */
export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredToken>();
  private readonly locks = new Map<string, { owner: symbol; until: number }>();

  async get(key: string): Promise<StoredToken | null> {
    const value = this.tokens.get(key);
    if (value && value.expiresAt <= Date.now()) {
      this.tokens.delete(key);
      return null;
    }
    return value ?? null;
  }

  async set(key: string, value: StoredToken): Promise<void> {
    this.tokens.set(key, { ...value });
  }

  async invalidate(key: string, token: string): Promise<void> {
    if (this.tokens.get(key)?.token === token) this.tokens.delete(key);
  }

  // Several clients in one process may share one memory store: the lock keeps them to one fetch too.
  async lock(key: string, ttlMs: number): Promise<ReleaseLock | null> {
    const now = Date.now();
    const held = this.locks.get(key);
    if (held && held.until > now) return null;
    const owner = Symbol(key);
    this.locks.set(key, { owner, until: now + ttlMs });
    return async () => {
      if (this.locks.get(key)?.owner === owner) this.locks.delete(key);
    };
  }
}
