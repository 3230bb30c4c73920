import type { ApiHttp } from '../http.js';
import type { StoredToken, TokenStore } from './store.js';

export interface TokenManagerOptions {
  appId: string;
  appSecret: string;
  http: ApiHttp;
  store: TokenStore;
  /** `POST /cgi-bin/stable_token` (true) or `GET /cgi-bin/token` (false). */
  useStableToken: boolean;
  /** Fetch a new token when less than this is left; default 300 s. */
  refreshMarginSeconds?: number;
  /** How long the shared-store lock is held at most; default 10 s. */
  lockTtlMs?: number;
}

const POLL_MS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One app's access token: cached with a safety margin, one fetch in flight per process, one fetch at a time
 * across processes when the store can lock, and never `force_refresh` (spec §7.13: forced refreshes by one
 * process invalidate every other process's token, and SDKs that force-refresh on 40001 feed a storm).
 */
export class TokenManager {
  private cached: StoredToken | null = null;
  private inflight: Promise<string> | null = null;
  private readonly margin: number;
  private readonly lockTtl: number;
  private readonly key: string;

  constructor(private readonly o: TokenManagerOptions) {
    this.margin = (o.refreshMarginSeconds ?? 300) * 1000;
    this.lockTtl = o.lockTtlMs ?? 10_000;
    // The host too: a development Beckon and production WeChat sharing one Redis must not trade tokens.
    this.key = `${o.useStableToken ? 'stable' : 'token'}:${new URL(o.http.base).host}:${o.appId}`;
  }

  /** The current token, fetching one only when none is fresh; concurrent callers share one fetch. */
  get(): Promise<string> {
    const c = this.cached;
    if (c && Date.now() < c.refreshAt) return Promise.resolve(c.token);
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Forgets `token` after the platform refused it, here and in the store, unless it was already replaced. */
  async invalidate(token: string): Promise<void> {
    if (this.cached?.token === token) this.cached = null;
    await this.o.store.invalidate(this.key, token);
  }

  private use(value: StoredToken): string {
    this.cached = value;
    return value.token;
  }

  private fresh(value: StoredToken | null): value is StoredToken {
    return value !== null && Date.now() < value.refreshAt;
  }

  private async refresh(): Promise<string> {
    const { store } = this.o;
    const giveUpAt = Date.now() + 3 * this.lockTtl;
    for (;;) {
      const shared = await store.get(this.key);
      if (this.fresh(shared)) return this.use(shared);
      if (!store.lock) return this.use(await this.fetchAndStore());
      const release = await store.lock(this.key, this.lockTtl);
      if (release) {
        try {
          // The previous holder may have stored a token between our read and our lock.
          const again = await store.get(this.key);
          if (this.fresh(again)) return this.use(again);
          return this.use(await this.fetchAndStore());
        } finally {
          await release();
        }
      }
      // The lock expires by itself, so this only trips when the store is broken.
      if (Date.now() > giveUpAt)
        throw new Error(`waited ${3 * this.lockTtl} ms for the token lock of ${this.o.appId}`);
      await sleep(POLL_MS);
    }
  }

  private async fetchAndStore(): Promise<StoredToken> {
    const { appId, appSecret, http, useStableToken } = this.o;
    const started = Date.now();
    const credentials = { grant_type: 'client_credential', appid: appId, secret: appSecret };
    const { json } = await http.request(
      useStableToken
        ? { method: 'POST', path: '/cgi-bin/stable_token', body: credentials }
        : { method: 'GET', path: '/cgi-bin/token', query: credentials },
    );
    const token = json.access_token;
    const expiresIn = json.expires_in;
    if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || expiresIn <= 0)
      throw new Error(`token answer without access_token/expires_in: ${JSON.stringify(json).slice(0, 200)}`);
    const lifetime = expiresIn * 1000;
    // A token handed out with less than twice the margin left (stable_token near its end) is still used,
    // for half its remaining life, instead of being refetched on every call.
    const refreshIn = lifetime > 2 * this.margin ? lifetime - this.margin : lifetime / 2;
    const value = { token, expiresAt: started + lifetime, refreshAt: started + refreshIn };
    await this.o.store.set(this.key, value);
    return value;
  }
}
