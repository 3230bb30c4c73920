import { ApiError } from '@beckon/protocol';
import { genUserSig, USERSIG_DEFAULT_EXPIRE_SECONDS, verifyUserSig } from '@beckon/protocol/node';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createApp, resetRtcKey } from '../apps/service.js';
import type { AppRecord } from '../store/port.js';
import { testContext } from '../test-support/harness.js';
import { issueUserSig, verifyAppUserSig } from './credentials.js';

let ctx: ReturnType<typeof testContext>;
let app: AppRecord;
let other: AppRecord;
beforeEach(async () => {
  ctx = testContext();
  app = await createApp(ctx, { name: 'Calls', type: 'miniprogram' });
  other = await createApp(ctx, { name: 'Other', type: 'miniprogram' });
});
afterEach(async () => {
  await ctx.bus.close();
  await ctx.store.close();
});

const nowSeconds = () => Math.floor(ctx.clock.now() / 1000);
/** A sig as the app's own backend makes it: protocol genUserSig with the app's key, at the clock's time. */
const sigFor = (a: AppRecord, userId: string, expireSeconds = 3600, secretKey = a.rtcSecretKey) =>
  genUserSig({ sdkAppId: a.sdkAppId, secretKey, userId, expireSeconds, now: nowSeconds() });
const code = async (sdkAppId: number, userId: string, sig: string) => {
  const verdict = await verifyAppUserSig(ctx, sdkAppId, userId, sig);
  return verdict.ok ? 0 : verdict.error.code;
};

describe('verifyAppUserSig', () => {
  test("a sig from protocol genUserSig with the app's key verifies, naming the app, user and expiry", async () => {
    const verdict = await verifyAppUserSig(ctx, app.sdkAppId, 'alice_01-x', sigFor(app, 'alice_01-x'));
    expect(verdict).toEqual({
      ok: true,
      app,
      userId: 'alice_01-x',
      expiresAt: (nowSeconds() + 3600) * 1000,
    });
  });

  test('forged: signed with another key (or a changed HMAC) is 70009', async () => {
    expect(await code(app.sdkAppId, 'alice', sigFor(app, 'alice', 3600, 'f'.repeat(64)))).toBe(70009);
    // The other app's key, with this app's SDKAppID written in: still not this app's key.
    expect(await code(app.sdkAppId, 'alice', sigFor(app, 'alice', 3600, other.rtcSecretKey))).toBe(70009);
  });

  test('expired: valid up to time + expire, 70001 one second later (ManualClock)', async () => {
    const sig = sigFor(app, 'alice', 60);
    ctx.clock.advance(60_000);
    expect(await code(app.sdkAppId, 'alice', sig)).toBe(0);
    ctx.clock.advance(1_000);
    expect(await code(app.sdkAppId, 'alice', sig)).toBe(70001);
  });

  test("other app: a sig made for another SDKAppID is 70014, even when that app's sig is genuine", async () => {
    const othersSig = sigFor(other, 'alice');
    expect(await code(other.sdkAppId, 'alice', othersSig)).toBe(0);
    expect(await code(app.sdkAppId, 'alice', othersSig)).toBe(70014);
  });

  test('another user: 70013; an unreadable sig: 70003', async () => {
    expect(await code(app.sdkAppId, 'bob', sigFor(app, 'alice'))).toBe(70013);
    for (const junk of ['', 'not a sig', 'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS', 'x'.repeat(10_000)])
      expect(await code(app.sdkAppId, 'alice', junk)).toBe(70003);
  });

  test('a bad userID is 7003 and an unknown SDKAppID 70020, before the sig is read', async () => {
    for (const bad of ['', 'a b', 'ali.ce', 'x'.repeat(33), 'émile', 'a/b'])
      expect(await code(app.sdkAppId, bad, sigFor(app, 'alice'))).toBe(7003);
    expect(await code(app.sdkAppId, 'x'.repeat(32), sigFor(app, 'x'.repeat(32)))).toBe(0);
    expect(await code(1_400_000_000, 'alice', sigFor(app, 'alice'))).toBe(70020);
    expect(await code(Number.NaN, 'alice', sigFor(app, 'alice'))).toBe(70020);
  });

  test('after the app key is reset, old sigs are 70009 and new ones verify', async () => {
    const old = sigFor(app, 'alice');
    expect(await code(app.sdkAppId, 'alice', old)).toBe(0);
    const reset = await resetRtcKey(ctx, app.appid);
    expect(await code(app.sdkAppId, 'alice', old)).toBe(70009);
    expect(await code(app.sdkAppId, 'alice', sigFor(reset, 'alice'))).toBe(0);
  });
});

test("a userSig from Tencent's own generator for the app's SDKAppID and key is accepted", async () => {
  // Vector from protocol/src/usersig.test.ts: tls-sig-api-v2-python, SDKAppID 1400000000, their test key.
  const key = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
  const python =
    'eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkKjIT87NK82CSxSnZiQUFmSlAKUMTAyiAyqVWFGQWpYJkTE1NjRDiJZm5YFFzM3MjEyT1xZnpIBsyy0NNokJCLTK0DRKTItNd8tIDw5KynRKzg7zMzMOyo6qS-XJLC-OTjcMjbZVqASSlNBM_';
  const tencentApp = { ...app, appid: 'wx00000000000000ee', sdkAppId: 1_400_000_000, rtcSecretKey: key };
  expect(await ctx.store.apps.create(tencentApp)).toBe(true);
  ctx.clock.set(1767240000 * 1000); // the time the vector was signed at
  expect(await code(1_400_000_000, 'xiaojun', python)).toBe(0);
  ctx.clock.advance(181 * 86_400_000); // its 180 days are over
  expect(await code(1_400_000_000, 'xiaojun', python)).toBe(70001);
});

describe('issueUserSig', () => {
  test("signs with the app's key at the clock's time; default lifetime 180 days", async () => {
    const issued = await issueUserSig(ctx, { sdkAppId: app.sdkAppId, userId: 'alice' });
    expect(issued).toEqual({
      sdkAppId: app.sdkAppId,
      userId: 'alice',
      expire: USERSIG_DEFAULT_EXPIRE_SECONDS,
      issuedAt: new Date(nowSeconds() * 1000).toISOString(),
      userSig: genUserSig({
        sdkAppId: app.sdkAppId,
        secretKey: app.rtcSecretKey,
        userId: 'alice',
        now: nowSeconds(),
      }),
    });
    expect(
      verifyUserSig({
        sdkAppId: app.sdkAppId,
        secretKey: app.rtcSecretKey,
        userId: 'alice',
        userSig: issued.userSig,
        now: nowSeconds(),
      }),
    ).toMatchObject({ ok: true });
    const short = await issueUserSig(ctx, { sdkAppId: app.sdkAppId, userId: 'alice', expire: 5 });
    ctx.clock.advance(6_000);
    expect(await code(app.sdkAppId, 'alice', short.userSig)).toBe(70001);
  });

  test('a bad userID, unknown SDKAppID or bad expire throws its ApiError', async () => {
    const refused = (p: Promise<unknown>) =>
      p.then(
        () => 0,
        (e: unknown) => (e instanceof ApiError ? e.code : -1),
      );
    expect(await refused(issueUserSig(ctx, { sdkAppId: app.sdkAppId, userId: 'a b' }))).toBe(7003);
    expect(await refused(issueUserSig(ctx, { sdkAppId: 1_400_000_000, userId: 'alice' }))).toBe(70020);
    for (const expire of [0, -1, 1.5, 50 * 365 * 86_400 + 1])
      expect(await refused(issueUserSig(ctx, { sdkAppId: app.sdkAppId, userId: 'alice', expire }))).toBe(
        91000,
      );
  });
});
