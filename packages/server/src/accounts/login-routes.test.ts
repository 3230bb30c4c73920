import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOGIN_CODE_TTL_SECONDS } from '@beckon/protocol';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createApp } from '../apps/service.js';
import type { Limits } from '../config.js';
import { RID_SUFFIX as RID, type TestServer, testContext, testServer } from '../test-support/harness.js';
import { openidFor, unionidFor, userForOpenid } from './openids.js';

const PASSWORD = 'correct horse battery';

interface TestApp {
  appid: string;
  secret: string;
}

let s: TestServer;
let open: TestServer | undefined;
async function start(limits: Partial<Limits> = {}) {
  await open?.close();
  s = open = await testServer({ limits });
}
beforeEach(() => start());
afterEach(async () => {
  await open?.close();
  open = undefined;
});

/** Registers and signs in; returns the session token and the user id. */
async function newUser(username: string): Promise<{ token: string; id: string }> {
  await s.app.inject({ method: 'POST', url: '/api/accounts', payload: { username, password: PASSWORD } });
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/sessions',
    payload: { username, password: PASSWORD },
  });
  const body = res.json();
  return { token: body.token, id: body.user.id };
}

async function appOf(owner: string): Promise<TestApp> {
  return createApp(s.ctx, { name: `App of ${owner}`, type: 'miniprogram', owner });
}

async function wxLogin(user: { token: string }, app: { appid: string }): Promise<string> {
  const res = await s.app.inject({
    method: 'POST',
    url: `/api/apps/${app.appid}/login`,
    headers: { authorization: `Bearer ${user.token}` },
  });
  expect(res.statusCode).toBe(200);
  return res.json().code;
}

function jscode2session(query: Record<string, string>) {
  return s.app.inject({ method: 'GET', url: '/sns/jscode2session', query });
}

const exchange = (app: TestApp, js_code: string) =>
  jscode2session({ appid: app.appid, secret: app.secret, js_code, grant_type: 'authorization_code' });

async function expectWechatError(res: Awaited<ReturnType<typeof jscode2session>>, errcode: number) {
  expect(res.statusCode).toBe(200);
  const body = res.json();
  expect(body.errcode).toBe(errcode);
  expect(body.errmsg).toMatch(RID);
  expect(Object.keys(body).sort()).toEqual(['errcode', 'errmsg']);
}

describe('code2Session success', () => {
  test('openid, session_key and unionid, and no errcode', async () => {
    const alice = await newUser('alice');
    const app = await s.newApp();
    const res = await exchange(app, await wxLogin(alice, app));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['openid', 'session_key', 'unionid']);
    expect(body.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    expect(body.unionid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    expect(Buffer.from(body.session_key, 'base64')).toHaveLength(16);
    expect(body.openid).toBe(await openidFor(s.ctx, app.appid, alice.id));
    expect((await userForOpenid(s.ctx, app.appid, body.openid))?.id).toBe(alice.id);
    // The openid is the app's name for the user: another app cannot resolve it.
    const other = await s.newApp();
    expect(await userForOpenid(s.ctx, other.appid, body.openid)).toBeUndefined();
  });

  test('the openid is stable per (user, app), the unionid per (user, owner); the session_key is fresh per login', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const [a1, a2, b1] = [await appOf('acme'), await appOf('acme'), await appOf('globex')];
    const login = async (user: { token: string }, app: TestApp) =>
      (await exchange(app, await wxLogin(user, app))).json();

    const first = await login(alice, a1);
    const again = await login(alice, a1);
    expect(again.openid).toBe(first.openid);
    expect(again.unionid).toBe(first.unionid);
    expect(again.session_key).not.toBe(first.session_key);

    const sibling = await login(alice, a2);
    expect(sibling.openid).not.toBe(first.openid);
    expect(sibling.unionid).toBe(first.unionid);

    const foreign = await login(alice, b1);
    expect(foreign.openid).not.toBe(first.openid);
    expect(foreign.unionid).not.toBe(first.unionid);

    const otherUser = await login(bob, a1);
    expect(otherUser.openid).not.toBe(first.openid);
    expect(otherUser.unionid).not.toBe(first.unionid);
    expect(otherUser.unionid).toBe(await unionidFor(s.ctx, 'acme', bob.id));
  });

  test('the session_key returned is the one saved by the login', async () => {
    const alice = await newUser('alice');
    const app = await s.newApp();
    const code = await wxLogin(alice, app);
    const saved = await s.ctx.store.accounts.getAppUser(app.appid, alice.id);
    expect((await exchange(app, code)).json().session_key).toBe(saved?.sessionKey);
  });

  test('a code is valid for just under 5 minutes', async () => {
    const alice = await newUser('alice');
    const app = await s.newApp();
    const code = await wxLogin(alice, app);
    s.clock.advance(LOGIN_CODE_TTL_SECONDS * 1000 - 1);
    expect((await exchange(app, code)).json().openid).toMatch(/^o/);
  });
});

describe('code2Session errors, in WeChat order', () => {
  test('40002 grant_type missing or not authorization_code (checked before anything else)', async () => {
    const app = await s.newApp();
    await expectWechatError(
      await jscode2session({ appid: app.appid, secret: app.secret, js_code: 'x' }),
      40002,
    );
    await expectWechatError(await jscode2session({ grant_type: 'client_credential' }), 40002);
  });

  test('41002 appid missing, 41004 secret missing', async () => {
    await expectWechatError(await jscode2session({ grant_type: 'authorization_code', secret: 's' }), 41002);
    await expectWechatError(await jscode2session({ grant_type: 'authorization_code', appid: '' }), 41002);
    await expectWechatError(
      await jscode2session({ grant_type: 'authorization_code', appid: 'wx0000000000000000' }),
      41004,
    );
  });

  test('40013 unknown appid, 40125 wrong secret (before the code is looked at)', async () => {
    const app = await s.newApp();
    await expectWechatError(await exchange({ appid: 'wx0000000000000000', secret: app.secret }, 'x'), 40013);
    await expectWechatError(await exchange({ appid: app.appid, secret: 'f'.repeat(32) }, 'x'), 40125);
  });

  test('40029 code missing, unknown, expired after 5 minutes, or issued for another app', async () => {
    const alice = await newUser('alice');
    const app = await s.newApp();
    const other = await s.newApp();
    await expectWechatError(
      await jscode2session({ appid: app.appid, secret: app.secret, grant_type: 'authorization_code' }),
      40029,
    );
    await expectWechatError(await exchange(app, 'A'.repeat(32)), 40029);

    // Another app's code is invalid here, and is not spent by the attempt.
    const forOther = await wxLogin(alice, other);
    await expectWechatError(await exchange(app, forOther), 40029);
    expect((await exchange(other, forOther)).json().openid).toMatch(/^o/);

    const code = await wxLogin(alice, app);
    s.clock.advance(LOGIN_CODE_TTL_SECONDS * 1000);
    await expectWechatError(await exchange(app, code), 40029);
  });

  test('40163 a code already used', async () => {
    const alice = await newUser('alice');
    const app = await s.newApp();
    const code = await wxLogin(alice, app);
    expect((await exchange(app, code)).json().openid).toMatch(/^o/);
    await expectWechatError(await exchange(app, code), 40163);
  });

  test('a code is single-use even under 20 concurrent calls', async () => {
    const alice = await newUser('alice');
    const app = await s.newApp();
    const code = await wxLogin(alice, app);
    const bodies = (await Promise.all(Array.from({ length: 20 }, () => exchange(app, code)))).map((r) =>
      r.json(),
    );
    expect(bodies.filter((b) => typeof b.openid === 'string')).toHaveLength(1);
    expect(bodies.filter((b) => b.errcode === 40163)).toHaveLength(19);
  });

  test('45011 more calls per user per minute than the limit; the refused code stays usable', async () => {
    await start({ code2SessionPerUserPerMinute: 2 });
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const app = await s.newApp();
    // Align to a minute boundary so the three calls share one minute.
    s.clock.set(Math.ceil(s.clock.now() / 60_000) * 60_000);
    const codes = [await wxLogin(alice, app), await wxLogin(alice, app), await wxLogin(alice, app)];
    expect((await exchange(app, codes[0]!)).json().openid).toMatch(/^o/);
    expect((await exchange(app, codes[1]!)).json().openid).toMatch(/^o/);
    await expectWechatError(await exchange(app, codes[2]!), 45011);
    // The quota is per user: bob is unaffected.
    expect((await exchange(app, await wxLogin(bob, app))).json().openid).toMatch(/^o/);
    s.clock.advance(60_000);
    expect((await exchange(app, codes[2]!)).json().openid).toMatch(/^o/);
  });

  test('a wrongly-cased path is 40066 invalid url', async () => {
    const res = await s.app.inject({
      method: 'GET',
      url: '/sns/jsCode2Session?grant_type=authorization_code',
    });
    await expectWechatError(res, 40066);
  });

  test('a repeated query parameter is a format error, not a 500', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/sns/jscode2session?appid=a&appid=b' });
    expect(res.statusCode).toBe(200);
    expect(res.json().errcode).toBe(47001);
  });
});

test('openids survive a restart: the instance secret is kept in the store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-openid-'));
  try {
    const file = join(dir, 'beckon.db');
    const first = testContext({ file });
    const before = await openidFor(first, 'wx0123456789abcdef', 'user-1');
    await first.store.close();
    const second = testContext({ file });
    expect(await openidFor(second, 'wx0123456789abcdef', 'user-1')).toBe(before);
    await second.store.close();
    const elsewhere = testContext();
    expect(await openidFor(elsewhere, 'wx0123456789abcdef', 'user-1')).not.toBe(before);
    await elsewhere.store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
