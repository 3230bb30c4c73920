import { createHash } from 'node:crypto';
import { SESSION_TTL_SECONDS } from '@beckon/protocol';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Limits } from '../config.js';
import { expectApiError } from '../test-support/client-api.js';
import { RID_SUFFIX as RID, type TestServer, testServer } from '../test-support/harness.js';

const PASSWORD = 'correct horse battery';

let s: TestServer;
let open: TestServer | undefined;
/** A fresh server; a test that needs lower limits calls it again. */
async function start(limits: Partial<Limits> = {}) {
  await open?.close();
  s = open = await testServer({ limits });
}
beforeEach(() => start());
afterEach(async () => {
  await open?.close();
  open = undefined;
});

function register(body: Record<string, unknown>) {
  return s.app.inject({ method: 'POST', url: '/api/accounts', payload: body });
}

function signIn(username: string, password: string, remoteAddress = '127.0.0.1') {
  return s.app.inject({
    method: 'POST',
    url: '/api/sessions',
    payload: { username, password },
    remoteAddress,
  });
}

function me(token: string | undefined) {
  return s.app.inject({
    method: 'GET',
    url: '/api/me',
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

async function signedIn(username = 'alice', password = PASSWORD): Promise<string> {
  expect((await register({ username, password })).statusCode).toBe(201);
  const res = await signIn(username, password);
  expect(res.statusCode).toBe(201);
  return res.json().token;
}

describe('register, sign in, who am I, sign out', () => {
  test('the whole round trip', async () => {
    const reg = await register({ username: 'Alice', password: PASSWORD, displayName: ' Alice L. ' });
    expect(reg.statusCode).toBe(201);
    const { user } = reg.json();
    expect(user).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      username: 'Alice',
      displayName: 'Alice L.',
    });

    // Usernames are matched regardless of case at sign-in.
    const res = await signIn('alice', PASSWORD);
    expect(res.statusCode).toBe(201);
    const session = res.json();
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.user).toEqual(user);
    expect(session.expiresAt).toBe(new Date(s.clock.now() + SESSION_TTL_SECONDS * 1000).toISOString());

    const who = await me(session.token);
    expect(who.statusCode).toBe(200);
    expect(who.json()).toEqual({ user });

    const out = await s.app.inject({
      method: 'DELETE',
      url: '/api/sessions/current',
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe('');
    expectApiError(await me(session.token), 401, 92004);
  });

  test('displayName defaults to the username; two sessions are independent', async () => {
    const reg = await register({ username: 'bob.smith-2', password: PASSWORD });
    expect(reg.json().user.displayName).toBe('bob.smith-2');
    const a = (await signIn('bob.smith-2', PASSWORD)).json().token;
    const b = (await signIn('bob.smith-2', PASSWORD)).json().token;
    expect(a).not.toBe(b);
    await s.app.inject({
      method: 'DELETE',
      url: '/api/sessions/current',
      headers: { authorization: `Bearer ${a}` },
    });
    expectApiError(await me(a), 401, 92004);
    expect((await me(b)).statusCode).toBe(200);
  });

  test('a username is taken regardless of case (92001, 409)', async () => {
    expect((await register({ username: 'Carol', password: PASSWORD })).statusCode).toBe(201);
    expectApiError(await register({ username: 'carol', password: 'another password' }), 409, 92001);
    expectApiError(await register({ username: 'CAROL', password: PASSWORD }), 409, 92001);
  });

  test.each([
    [{ username: 'ab', password: PASSWORD }, 'username'],
    [{ username: 'a'.repeat(33), password: PASSWORD }, 'username'],
    [{ username: 'al ice', password: PASSWORD }, 'username'],
    [{ username: 'alïce', password: PASSWORD }, 'username'],
    [{ username: 'alice', password: 'short12' }, 'password'],
    [{ username: 'alice', password: 'x'.repeat(129) }, 'password'],
    [{ username: 'alice', password: PASSWORD, displayName: 'x'.repeat(33) }, 'displayName'],
    [{ username: 'alice', password: PASSWORD, displayName: 'a\nb' }, 'displayName'],
    [{ username: 'alice' }, 'password'],
    [{ username: 42, password: PASSWORD }, 'username'],
    [{ username: 'alice', password: PASSWORD, admin: true }, 'additional'],
  ])('registration refuses %j (91000, 400)', async (body, mentions) => {
    const res = await register(body);
    expectApiError(res, 400, 91000);
    expect(res.json().errmsg).toContain(mentions);
  });

  test('password lengths at the edges: 8 and 128 characters (code points) are accepted', async () => {
    expect((await register({ username: 'eight', password: '12345678' })).statusCode).toBe(201);
    expect((await register({ username: 'long', password: '😀'.repeat(128) })).statusCode).toBe(201);
    expect((await signIn('long', '😀'.repeat(128))).statusCode).toBe(201);
  });

  test('an empty body is 44002 empty post data, not a 500', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/accounts',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errcode).toBe(44002);
  });
});

describe('credentials', () => {
  test('a wrong password and an unknown username give the same 92002 (401)', async () => {
    await register({ username: 'dave', password: PASSWORD });
    const wrong = await signIn('dave', 'not the password');
    const unknown = await signIn('nobody', PASSWORD);
    expectApiError(wrong, 401, 92002);
    expectApiError(unknown, 401, 92002);
    const strip = (r: typeof wrong) => r.json().errmsg.replace(RID, '');
    expect(strip(wrong)).toBe(strip(unknown));
  });

  test('the password is stored as scrypt, salted, never in plain text', async () => {
    await register({ username: 'erin', password: PASSWORD });
    await register({ username: 'frank', password: PASSWORD });
    const erin = (await s.ctx.store.accounts.getUserByName('erin'))!;
    const frank = (await s.ctx.store.accounts.getUserByName('frank'))!;
    const format = /^scrypt\$16384\$8\$1\$([A-Za-z0-9+/]+=*)\$([A-Za-z0-9+/]+=*)$/;
    const [, salt, hash] = format.exec(erin.passwordHash)!;
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(hash!, 'base64')).toHaveLength(32);
    expect(erin.passwordHash).not.toContain(PASSWORD);
    expect(frank.passwordHash).toMatch(format);
    expect(frank.passwordHash).not.toBe(erin.passwordHash);
  });

  test('only the sha256 of a session token is stored', async () => {
    const token = await signedIn();
    const hash = createHash('sha256').update(token).digest('hex');
    expect(await s.ctx.store.accounts.getSession(token)).toBeUndefined();
    expect((await s.ctx.store.accounts.getSession(hash))?.userId).toBe((await me(token)).json().user.id);
  });
});

describe('failed sign-in throttle', () => {
  const limits = { failedSignInsPerWindow: 3, failedSignInWindowMs: 60_000 };

  test('after N failures for a username even the right password is refused (92003, 429) until the window ends', async () => {
    await start(limits);
    await register({ username: 'gina', password: PASSWORD });
    // Failures from different addresses: the per-username count alone locks the account.
    for (const addr of ['10.0.0.1', '10.0.0.2', '10.0.0.3'])
      expectApiError(await signIn('GINA', 'wrong!!!', addr), 401, 92002);
    const refused = await signIn('gina', PASSWORD, '10.0.0.4');
    expectApiError(refused, 429, 92003);
    expect(refused.headers['retry-after']).toBe('60');
    expectApiError(await signIn('gina', 'wrong!!!', '10.0.0.5'), 429, 92003);

    s.clock.advance(59_999);
    expectApiError(await signIn('gina', PASSWORD, '10.0.0.4'), 429, 92003);
    s.clock.advance(1);
    expect((await signIn('gina', PASSWORD, '10.0.0.4')).statusCode).toBe(201);
  });

  test('after N failures from one address, that address is refused for every username', async () => {
    await start(limits);
    await register({ username: 'hank', password: PASSWORD });
    for (const name of ['nobody1', 'nobody2', 'hank'])
      expectApiError(await signIn(name, 'wrong!!!', '10.1.1.1'), 401, 92002);
    expectApiError(await signIn('hank', PASSWORD, '10.1.1.1'), 429, 92003);
    // Another address is not locked, and hank has had only one failure.
    expect((await signIn('hank', PASSWORD, '10.2.2.2')).statusCode).toBe(201);
  });

  test('fewer than N failures do not lock, and successes are not counted', async () => {
    await start(limits);
    await register({ username: 'ivy', password: PASSWORD });
    for (let i = 0; i < 5; i++) expect((await signIn('ivy', PASSWORD)).statusCode).toBe(201);
    expectApiError(await signIn('ivy', 'wrong!!!'), 401, 92002);
    expectApiError(await signIn('ivy', 'wrong!!!'), 401, 92002);
    expect((await signIn('ivy', PASSWORD)).statusCode).toBe(201);
  });
});

describe('session auth', () => {
  test('a session expires 30 days after sign-in (92004)', async () => {
    const token = await signedIn();
    s.clock.advance(SESSION_TTL_SECONDS * 1000 - 1);
    expect((await me(token)).statusCode).toBe(200);
    s.clock.advance(1);
    expectApiError(await me(token), 401, 92004);
    // An expired session is deleted, not just refused.
    const hash = createHash('sha256').update(token).digest('hex');
    expect(await s.ctx.store.accounts.getSession(hash)).toBeUndefined();
  });

  test.each([
    ['no header', undefined],
    ['an unknown token', { authorization: 'Bearer not-a-token' }],
    ['a non-bearer scheme', { authorization: 'Basic YWxpY2U6cGFzcw==' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('%s is 92004 (401) on every signed-in route', async (_, headers) => {
    for (const [method, url] of [
      ['GET', '/api/me'],
      ['DELETE', '/api/sessions/current'],
      ['POST', '/api/apps/wx0000000000000000/login'],
    ] as const) {
      expectApiError(await s.app.inject({ method, url, ...(headers ? { headers } : {}) }), 401, 92004);
    }
  });
});

describe('wx.login inside an app', () => {
  test('gives a 32-character code with errMsg login:ok', async () => {
    const token = await signedIn();
    const app = await s.newApp();
    const res = await s.app.inject({
      method: 'POST',
      url: `/api/apps/${app.appid}/login`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ code: expect.stringMatching(/^[A-Za-z0-9]{32}$/), errMsg: 'login:ok' });
  });

  test('an unknown app is 91003 (404)', async () => {
    const token = await signedIn();
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/apps/wx0000000000000000/login',
      headers: { authorization: `Bearer ${token}` },
    });
    expectApiError(res, 404, 91003);
  });
});
