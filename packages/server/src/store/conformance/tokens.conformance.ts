import { describe, expect, test } from 'vitest';
import type { Store, TokenRecord } from '../port.js';
import { appRecord, type StoreFixture, T0, tally, tokenRecord } from './fixture.conformance.js';

const HOUR = 3600_000;

async function newApp(store: Store): Promise<string> {
  const app = appRecord();
  await store.apps.create(app);
  return app.appid;
}

/** Issues unconditionally, failing the test if the store refuses. */
async function issued(store: Store, token: TokenRecord): Promise<TokenRecord> {
  expect(await store.tokens.issue(token)).toBe(true);
  return token;
}

/** TokenStore: find, latest per family, and `issue` as a compare-and-set with its side effects. */
export function tokensConformance(f: StoreFixture): void {
  describe('tokens', () => {
    test('find returns the issued token field for field; unknown tokens are undefined', async () => {
      const appid = await newApp(f.store);
      const token = await issued(f.store, tokenRecord(appid, { validUntil: T0 + HOUR }));
      expect(await f.store.tokens.find(token.token)).toEqual(token);
      expect(await f.store.tokens.find('no-such-token')).toBeUndefined();
    });

    test('latest of an app or family with no tokens is undefined', async () => {
      const appid = await newApp(f.store);
      expect(await f.store.tokens.latest(appid, 'token')).toBeUndefined();
      await issued(f.store, tokenRecord(appid, { family: 'token' }));
      expect(await f.store.tokens.latest(appid, 'stable')).toBeUndefined();
      expect(await f.store.tokens.latest(await newApp(f.store), 'token')).toBeUndefined();
    });

    test('latest is the last one issued, even within the same millisecond', async () => {
      const appid = await newApp(f.store);
      const tokens: TokenRecord[] = [];
      for (let i = 0; i < 5; i++) tokens.push(await issued(f.store, tokenRecord(appid)));
      expect(await f.store.tokens.latest(appid, 'token')).toEqual(tokens[4]);
    });

    test('latest returns the latest token even when it is no longer live', async () => {
      const appid = await newApp(f.store);
      const old = await issued(f.store, tokenRecord(appid, { issuedAt: T0 - 10 * HOUR }));
      expect(old.expiresAt).toBeLessThan(T0);
      expect(await f.store.tokens.latest(appid, 'token')).toEqual(old);
    });

    test('the two families are separate namespaces; apps are separate too', async () => {
      const appid = await newApp(f.store);
      const other = await newApp(f.store);
      const t1 = await issued(f.store, tokenRecord(appid, { family: 'token' }));
      const s1 = await issued(f.store, tokenRecord(appid, { family: 'stable' }));
      const t2 = await issued(f.store, tokenRecord(appid, { family: 'token' }));
      const o1 = await issued(f.store, tokenRecord(other, { family: 'token' }));
      expect(await f.store.tokens.latest(appid, 'token')).toEqual(t2);
      expect(await f.store.tokens.latest(appid, 'stable')).toEqual(s1);
      expect(await f.store.tokens.latest(other, 'token')).toEqual(o1);
      // A CAS in one family is judged against that family only.
      expect(
        await f.store.tokens.issue(tokenRecord(appid, { family: 'stable' }), { expectedLatest: t2.token }),
      ).toBe(false);
      expect(await f.store.tokens.find(t1.token)).toEqual(t1);
    });

    test('without expectedLatest, issue always succeeds', async () => {
      const appid = await newApp(f.store);
      await issued(f.store, tokenRecord(appid));
      const next = tokenRecord(appid);
      expect(await f.store.tokens.issue(next, {})).toBe(true);
      expect(await f.store.tokens.latest(appid, 'token')).toEqual(next);
    });

    test('expectedLatest null succeeds on an empty family and fails once it has a token', async () => {
      const appid = await newApp(f.store);
      const first = tokenRecord(appid);
      expect(await f.store.tokens.issue(first, { expectedLatest: null })).toBe(true);
      expect(await f.store.tokens.latest(appid, 'token')).toEqual(first);
      const second = tokenRecord(appid);
      expect(await f.store.tokens.issue(second, { expectedLatest: null })).toBe(false);
      expect(await f.store.tokens.find(second.token)).toBeUndefined();
      expect(await f.store.tokens.latest(appid, 'token')).toEqual(first);
    });

    test('expectedLatest equal to the latest succeeds', async () => {
      const appid = await newApp(f.store);
      const first = await issued(f.store, tokenRecord(appid));
      const second = tokenRecord(appid);
      expect(await f.store.tokens.issue(second, { expectedLatest: first.token })).toBe(true);
      expect(await f.store.tokens.latest(appid, 'token')).toEqual(second);
    });

    test('a stale expectedLatest returns false and changes nothing, side effects included', async () => {
      const appid = await newApp(f.store);
      const expired = await issued(f.store, tokenRecord(appid, { issuedAt: T0 - 10 * HOUR }));
      const a = await issued(f.store, tokenRecord(appid));
      const b = await issued(f.store, tokenRecord(appid));
      const next = tokenRecord(appid, { issuedAt: T0 + 1000 });
      const ok = await f.store.tokens.issue(next, {
        expectedLatest: a.token,
        othersValidUntil: T0 + 1000,
        forgetExpiredBefore: T0,
      });
      expect(ok).toBe(false);
      expect(await f.store.tokens.find(next.token)).toBeUndefined();
      expect(await f.store.tokens.latest(appid, 'token')).toEqual(b);
      expect(await f.store.tokens.find(a.token)).toEqual(a);
      expect(await f.store.tokens.find(b.token)).toEqual(b);
      expect(await f.store.tokens.find(expired.token)).toEqual(expired);
    });

    test('an expectedLatest naming an unknown token fails', async () => {
      const appid = await newApp(f.store);
      await issued(f.store, tokenRecord(appid));
      const next = tokenRecord(appid);
      expect(await f.store.tokens.issue(next, { expectedLatest: 'never-issued' })).toBe(false);
      expect(await f.store.tokens.find(next.token)).toBeUndefined();
    });

    test('othersValidUntil cuts the live tokens of the same app and family, not the new one', async () => {
      const appid = await newApp(f.store);
      const a = await issued(f.store, tokenRecord(appid));
      const b = await issued(f.store, tokenRecord(appid, { issuedAt: T0 + 1000 }));
      const cut = T0 + 2000 + 300_000;
      const next = tokenRecord(appid, { issuedAt: T0 + 2000 });
      // Read first: an adapter that keeps what it read must see its own cut.
      expect(await f.store.tokens.find(a.token)).toEqual(a);
      expect(await f.store.tokens.issue(next, { expectedLatest: b.token, othersValidUntil: cut })).toBe(true);
      expect(await f.store.tokens.find(a.token)).toEqual({ ...a, validUntil: cut });
      expect(await f.store.tokens.find(b.token)).toEqual({ ...b, validUntil: cut });
      expect(await f.store.tokens.find(next.token)).toEqual(next);
      expect(await f.store.tokens.latest(appid, 'token')).toEqual(next);
    });

    test('othersValidUntil never extends a token and leaves other families and apps alone', async () => {
      const appid = await newApp(f.store);
      const otherApp = await newApp(f.store);
      const cut = T0 + 300_000;
      const alreadyCut = await issued(f.store, tokenRecord(appid, { validUntil: T0 + 1000 }));
      const dead = await issued(f.store, tokenRecord(appid, { issuedAt: T0 - 10 * HOUR }));
      const stable = await issued(f.store, tokenRecord(appid, { family: 'stable' }));
      const foreign = await issued(f.store, tokenRecord(otherApp, { family: 'token' }));
      const live = await issued(f.store, tokenRecord(appid));
      expect(await f.store.tokens.issue(tokenRecord(appid), { othersValidUntil: cut })).toBe(true);
      expect(await f.store.tokens.find(alreadyCut.token)).toEqual(alreadyCut);
      expect(await f.store.tokens.find(dead.token)).toEqual(dead);
      expect(await f.store.tokens.find(stable.token)).toEqual(stable);
      expect(await f.store.tokens.find(foreign.token)).toEqual(foreign);
      expect(await f.store.tokens.find(live.token)).toEqual({ ...live, validUntil: cut });
    });

    test('forgetExpiredBefore deletes only the expired tokens of that app and family', async () => {
      const appid = await newApp(f.store);
      const otherApp = await newApp(f.store);
      const old = { issuedAt: T0 - 10 * HOUR };
      const expired1 = await issued(f.store, tokenRecord(appid, old));
      const expired2 = await issued(f.store, tokenRecord(appid, { issuedAt: T0 - 3 * HOUR }));
      const expiredStable = await issued(f.store, tokenRecord(appid, { ...old, family: 'stable' }));
      const expiredForeign = await issued(f.store, tokenRecord(otherApp, old));
      const live = await issued(f.store, tokenRecord(appid, { issuedAt: T0 - HOUR }));
      const next = tokenRecord(appid);
      expect(await f.store.tokens.issue(next, { expectedLatest: live.token, forgetExpiredBefore: T0 })).toBe(
        true,
      );
      expect(await f.store.tokens.find(expired1.token)).toBeUndefined();
      expect(await f.store.tokens.find(expired2.token)).toBeUndefined();
      expect(await f.store.tokens.find(expiredStable.token)).toEqual(expiredStable);
      expect(await f.store.tokens.find(expiredForeign.token)).toEqual(expiredForeign);
      expect(await f.store.tokens.find(live.token)).toEqual(live);
      expect(await f.store.tokens.find(next.token)).toEqual(next);
      expect(await f.store.tokens.latest(appid, 'token')).toEqual(next);
    });

    test('forgetting every older token still leaves the new one latest, and CAS goes on', async () => {
      const appid = await newApp(f.store);
      const dead = await issued(f.store, tokenRecord(appid, { issuedAt: T0 - 10 * HOUR }));
      const next = tokenRecord(appid);
      expect(await f.store.tokens.issue(next, { expectedLatest: dead.token, forgetExpiredBefore: T0 })).toBe(
        true,
      );
      expect(await f.store.tokens.find(dead.token)).toBeUndefined();
      expect(await f.store.tokens.latest(appid, 'token')).toEqual(next);
      const after = tokenRecord(appid);
      expect(await f.store.tokens.issue(after, { expectedLatest: next.token })).toBe(true);
      expect(await f.store.tokens.latest(appid, 'token')).toEqual(after);
    });

    test('50 concurrent issues with the same expectedLatest: exactly one wins', async () => {
      const appid = await newApp(f.store);
      const current = await issued(f.store, tokenRecord(appid));
      const cut = T0 + 300_000;
      const candidates = Array.from({ length: 50 }, () => tokenRecord(appid, { issuedAt: T0 + 1000 }));
      const results = await Promise.all(
        candidates.map((c) =>
          f.store.tokens.issue(c, { expectedLatest: current.token, othersValidUntil: cut }),
        ),
      );
      expect(tally(results)).toEqual(
        new Map([
          [true, 1],
          [false, 49],
        ]),
      );
      const winner = candidates[results.indexOf(true)]!;
      expect(await f.store.tokens.latest(appid, 'token')).toEqual(winner);
      expect(await f.store.tokens.find(current.token)).toEqual({ ...current, validUntil: cut });
      for (const loser of candidates.filter((c) => c !== winner)) {
        expect(await f.store.tokens.find(loser.token)).toBeUndefined();
      }
    });

    test('50 concurrent issues on an empty family with expectedLatest null: exactly one wins', async () => {
      const appid = await newApp(f.store);
      const candidates = Array.from({ length: 50 }, () => tokenRecord(appid, { family: 'stable' }));
      const results = await Promise.all(
        candidates.map((c) => f.store.tokens.issue(c, { expectedLatest: null })),
      );
      expect(results.filter((r) => r)).toHaveLength(1);
      expect(await f.store.tokens.latest(appid, 'stable')).toEqual(candidates[results.indexOf(true)]);
    });
  });
}
