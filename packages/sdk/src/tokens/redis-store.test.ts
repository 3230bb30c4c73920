import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type LiveServer, liveServer } from '../test-support/live-server.js';
import { deleteKeysUnder } from '../test-support/redis.js';
import { RedisTokenStore } from './redis-store.js';

const REDIS_URL = process.env.REDIS_URL;
const CHILD = fileURLToPath(new URL('./test-support/token-child.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

if (!REDIS_URL) {
  test.skip('RedisTokenStore and two processes sharing a token: REDIS_URL not set', () => {});
} else {
  const redis = new Redis(REDIS_URL);
  const prefix = `beckon:sdk:test:${randomBytes(6).toString('hex')}:`;
  afterAll(async () => {
    await deleteKeysUnder(redis, prefix);
    await redis.quit();
  });

  describe('RedisTokenStore', () => {
    const store = new RedisTokenStore(redis, { prefix });

    test("stores with the token's remaining life as TTL; gone once expired", async () => {
      const now = Date.now();
      await store.set('a', { token: 'T1', expiresAt: now + 60_000, refreshAt: now + 30_000 });
      expect(await store.get('a')).toEqual({ token: 'T1', expiresAt: now + 60_000, refreshAt: now + 30_000 });
      const ttl = await redis.pttl(`${prefix}a`);
      expect(ttl).toBeGreaterThan(55_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      await store.set('b', { token: 'T2', expiresAt: now + 50, refreshAt: now + 25 });
      await new Promise((r) => setTimeout(r, 120));
      expect(await store.get('b')).toBeNull();
    });

    test('invalidate deletes only the token it names (compare-and-delete)', async () => {
      const now = Date.now();
      await store.set('c', { token: 'NEW', expiresAt: now + 60_000, refreshAt: now + 30_000 });
      await store.invalidate('c', 'OLD');
      expect((await store.get('c'))?.token).toBe('NEW');
      await store.invalidate('c', 'NEW');
      expect(await store.get('c')).toBeNull();
    });

    test('the lock: one holder; released only by its owner; expires by itself', async () => {
      const release = await store.lock('d', 200);
      expect(release).not.toBeNull();
      expect(await store.lock('d', 200)).toBeNull();
      await release!();
      const second = await store.lock('d', 100);
      expect(second).not.toBeNull();
      await release!(); // the first owner's late release must not free the second's lock
      expect(await store.lock('d', 100)).toBeNull();
      await new Promise((r) => setTimeout(r, 150));
      expect(await store.lock('d', 100)).not.toBeNull();
    });
  });

  describe('two processes, one token through Redis', () => {
    let live: LiveServer;
    beforeAll(async () => {
      if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build first (npx tsc -b packages/sdk)`);
      live = await liveServer();
    });
    afterAll(() => live.close());

    function runChild(env: Record<string, string>): Promise<{ tokens: string[] }> {
      return new Promise((resolve, reject) => {
        execFile(
          process.execPath,
          [CHILD],
          { env: { ...process.env, ...env }, timeout: 20_000 },
          (err, stdout, stderr) => {
            if (err) reject(new Error(`child failed: ${err.message}\n${stderr}`));
            else resolve(JSON.parse(stdout));
          },
        );
      });
    }

    for (const [label, stable, path] of [
      ['stable_token', '1', '/cgi-bin/stable_token'],
      // The classic endpoint issues a new token per call: without the shared lock each process would get its own.
      ['/cgi-bin/token', '0', '/cgi-bin/token'],
    ] as const) {
      test(`${label}: both end with the same token, one fetch in all, no refused call`, async () => {
        const app = await live.s.newApp();
        const env = {
          REDIS_URL: REDIS_URL!,
          PREFIX: `${prefix}${label}:`,
          BASE_URL: live.baseUrl,
          APP_ID: app.appid,
          APP_SECRET: app.secret,
          STABLE: stable,
          START_AT: String(Date.now() + 1_500),
        };
        const listedBefore = live.hits('/wxaapi/newtmpl/gettemplate');
        const [a, b] = await Promise.all([runChild(env), runChild(env)]);
        expect(a.tokens).toHaveLength(1);
        expect(b.tokens).toEqual(a.tokens);
        expect(live.hits(path)).toBe(1);
        // 5 calls each and not one more: a 40001 would have shown up as a retry.
        expect(live.hits('/wxaapi/newtmpl/gettemplate') - listedBefore).toBe(10);
      });
    }
  });
}
