import { genUserSig, USERSIG_DEFAULT_EXPIRE_SECONDS } from '@beckon/protocol/node';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { ADMIN_TOKEN, RID_SUFFIX, type TestServer, testServer } from '../test-support/harness.js';
import { verifyAppUserSig } from './credentials.js';

let s: TestServer;
beforeEach(async () => {
  s = await testServer();
});
afterEach(() => s.close());

const usersig = (payload: unknown, token = ADMIN_TOKEN) =>
  s.app.inject({
    method: 'POST',
    url: '/admin/usersig',
    headers: { authorization: `Bearer ${token}` },
    payload: payload as object,
  });

async function appWithKey() {
  const app = await s.newApp();
  return (await s.ctx.store.apps.get(app.appid))!;
}

test('POST /admin/usersig signs a userSig with the app key that verifies for that user', async () => {
  const app = await appWithKey();
  const now = Math.floor(s.clock.now() / 1000);
  const res = await usersig({ sdkAppId: app.sdkAppId, userId: 'alice', expire: 600 });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({
    sdkAppId: app.sdkAppId,
    userId: 'alice',
    expire: 600,
    issuedAt: new Date(now * 1000).toISOString(),
    userSig: genUserSig({
      sdkAppId: app.sdkAppId,
      secretKey: app.rtcSecretKey,
      userId: 'alice',
      expireSeconds: 600,
      now,
    }),
  });
  const verdict = await verifyAppUserSig(s.ctx, app.sdkAppId, 'alice', res.json().userSig);
  expect(verdict.ok).toBe(true);
  expect((await usersig({ sdkAppId: app.sdkAppId, userId: 'bob' })).json().expire).toBe(
    USERSIG_DEFAULT_EXPIRE_SECONDS,
  );
});

test('a bad userID is 400 7003, an unknown SDKAppID 404 70020, a bad body 400 91000, no token 401', async () => {
  const app = await appWithKey();
  const expectError = async (payload: unknown, status: number, errcode: number) => {
    const res = await usersig(payload);
    expect(res.statusCode).toBe(status);
    expect(res.json().errcode).toBe(errcode);
    expect(res.json().errmsg).toMatch(RID_SUFFIX);
  };
  for (const userId of ['', 'a b', 'al.ice', 'x'.repeat(33), '用户'])
    await expectError({ sdkAppId: app.sdkAppId, userId }, 400, 7003);
  await expectError({ sdkAppId: 1_400_000_000, userId: 'alice' }, 404, 70020);
  for (const body of [
    {},
    { userId: 'alice' },
    { sdkAppId: String(app.sdkAppId), userId: 'alice' },
    { sdkAppId: app.sdkAppId },
    { sdkAppId: app.sdkAppId, userId: 'alice', expire: 0 },
    { sdkAppId: app.sdkAppId, userId: 'alice', expire: 1.5 },
    { sdkAppId: app.sdkAppId, userId: 'alice', extra: 1 },
    { sdkAppId: app.sdkAppId, userId: 'x'.repeat(1000) },
  ])
    await expectError(body, 400, 91000);
  const refused = await usersig({ sdkAppId: app.sdkAppId, userId: 'alice' }, 'wrong');
  expect(refused.statusCode).toBe(401);
  expect(refused.json().errcode).toBe(91002);
});
