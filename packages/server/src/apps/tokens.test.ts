import { ApiError } from '@beckon/protocol';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { requireAccessToken } from '../http/access-token.js';
import { type TestServer, testServer } from '../test-support/harness.js';
import { authenticate, getStableAccessToken } from './tokens.js';

type App = { appid: string; secret: string };
type TokenBody = { access_token: string; expires_in: number };

const MIN = 60_000;
const SEC = 1000;

let s: TestServer;

/** A business route of the test's own, behind the shared access-token hook (none exists in the server yet). */
async function withEchoRoute(server: TestServer): Promise<TestServer> {
  await server.app.register(async (scope) => {
    requireAccessToken(scope, server.ctx);
    scope.get('/wxa/test-echo', { schema: { querystring: { type: 'object' } } }, async (request) => ({
      appid: request.wxApp.appid,
    }));
    scope.post('/wxa/test-echo', { schema: { body: { type: 'object' } } }, async (request) => ({
      appid: request.wxApp.appid,
    }));
  });
  return server;
}

beforeEach(async () => {
  s = await withEchoRoute(await testServer());
});
afterEach(() => s.close());

async function getToken(app: App): Promise<TokenBody> {
  const res = await s.app.inject({
    method: 'GET',
    url: '/cgi-bin/token',
    query: { grant_type: 'client_credential', appid: app.appid, secret: app.secret },
  });
  expect(res.statusCode).toBe(200);
  const body = res.json();
  expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in']);
  return body;
}

async function stableToken(app: App, forceRefresh?: boolean) {
  return s.app.inject({
    method: 'POST',
    url: '/cgi-bin/stable_token',
    payload: {
      grant_type: 'client_credential',
      appid: app.appid,
      secret: app.secret,
      ...(forceRefresh === undefined ? {} : { force_refresh: forceRefresh }),
    },
  });
}

async function getStable(app: App, forceRefresh?: boolean): Promise<TokenBody> {
  const res = await stableToken(app, forceRefresh);
  expect(res.statusCode).toBe(200);
  const body = res.json();
  expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in']);
  return body;
}

/**
 * What using the token gives: 0 when it is accepted, else its errcode. Asked both of the domain function
 * and over HTTP through the access-token hook; the two must agree.
 */
async function check(token: string | undefined, appid?: string): Promise<number> {
  let domain: number;
  try {
    const app = await authenticate(s.ctx, token);
    if (appid) expect(app.appid).toBe(appid);
    domain = 0;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    domain = err.code;
  }
  const res = await s.app.inject({
    method: 'GET',
    url: '/wxa/test-echo',
    query: token === undefined ? {} : { access_token: token },
  });
  expect(res.statusCode).toBe(200);
  const body = res.json();
  const http = 'errcode' in body ? body.errcode : 0;
  if (http === 0 && appid) expect(body.appid).toBe(appid);
  expect(http).toBe(domain);
  return http;
}

describe('GET /cgi-bin/token', () => {
  test('each call issues a new token valid for 7200 s', async () => {
    const app = await s.newApp();
    const a = await getToken(app);
    const b = await getToken(app);
    expect(a.expires_in).toBe(7200);
    expect(b.expires_in).toBe(7200);
    expect(b.access_token).not.toBe(a.access_token);
    // Long (SDKs treat 32 characters or fewer as an appid), within WeChat's 512, and URL-safe.
    for (const t of [a, b]) expect(t.access_token).toMatch(/^[A-Za-z0-9_-]{33,512}$/);
    expect(await check(b.access_token, app.appid)).toBe(0);
  });

  test('the previous token works for 5 more minutes after the next is issued, then 40001', async () => {
    const app = await s.newApp();
    const a = await getToken(app);
    s.clock.advance(10 * MIN);
    const b = await getToken(app);
    s.clock.advance(5 * MIN - 1);
    expect(await check(a.access_token, app.appid)).toBe(0);
    s.clock.advance(1);
    expect(await check(a.access_token)).toBe(40001);
    expect(await check(b.access_token, app.appid)).toBe(0);
  });

  test('a later refresh never lengthens a superseded token: each stops 5 min after its own successor', async () => {
    const app = await s.newApp();
    const a = await getToken(app);
    s.clock.advance(MIN);
    const b = await getToken(app); // first refresh: a has 5 min left
    s.clock.advance(2 * MIN);
    const c = await getToken(app); // second refresh: b has 5 min left, a keeps its 3
    s.clock.advance(3 * MIN - 1);
    expect(await check(a.access_token)).toBe(0);
    s.clock.advance(1);
    expect(await check(a.access_token)).toBe(40001);
    expect(await check(b.access_token)).toBe(0);
    s.clock.advance(2 * MIN - 1);
    expect(await check(b.access_token)).toBe(0);
    s.clock.advance(1);
    expect(await check(b.access_token)).toBe(40001);
    expect(await check(c.access_token, app.appid)).toBe(0);
  });

  test('a token expires after 7200 s: 42001', async () => {
    const app = await s.newApp();
    const a = await getToken(app);
    s.clock.advance(7200 * SEC - 1);
    expect(await check(a.access_token, app.appid)).toBe(0);
    s.clock.advance(1);
    expect(await check(a.access_token)).toBe(42001);
  });

  test('a token that is not one at all is 40014; a well-formed unknown one is 40001', async () => {
    const app = await s.newApp();
    const a = await getToken(app);
    expect(await check('garbage')).toBe(40014);
    expect(await check(`${a.access_token}x`)).toBe(40014);
    expect(await check(a.access_token.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')))).toBe(40001);
  });

  test('a missing or empty access_token is 41001', async () => {
    expect(await check(undefined)).toBe(41001);
    expect(await check('')).toBe(41001);
  });

  test('an access_token in the body only counts as missing: 41001', async () => {
    const app = await s.newApp();
    const { access_token } = await getToken(app);
    const inBody = await s.app.inject({ method: 'POST', url: '/wxa/test-echo', payload: { access_token } });
    expect(inBody.statusCode).toBe(200);
    expect(inBody.json().errcode).toBe(41001);
    const inQuery = await s.app.inject({
      method: 'POST',
      url: '/wxa/test-echo',
      query: { access_token },
      payload: {},
    });
    expect(inQuery.json()).toEqual({ appid: app.appid });
  });
});

describe('POST /cgi-bin/stable_token', () => {
  test('repeated calls return the same token with the exact remaining lifetime', async () => {
    const app = await s.newApp();
    const a = await getStable(app);
    expect(a.expires_in).toBe(7200);
    s.clock.advance(1000 * SEC);
    expect(await getStable(app)).toEqual({ access_token: a.access_token, expires_in: 6200 });
    s.clock.advance(500);
    expect(await getStable(app, false)).toEqual({ access_token: a.access_token, expires_in: 6199 });
    expect(await check(a.access_token, app.appid)).toBe(0);
  });

  test('in its last 5 minutes the token is renewed; the old one lives until its own expiry, then 42001', async () => {
    const app = await s.newApp();
    const a = await getStable(app);
    s.clock.advance((7200 - 301) * SEC);
    expect(await getStable(app)).toEqual({ access_token: a.access_token, expires_in: 301 });
    s.clock.advance(2 * SEC); // 299 s left: never handed out below 300
    const b = await getStable(app);
    expect(b.access_token).not.toBe(a.access_token);
    expect(b.expires_in).toBe(7200);
    s.clock.advance(10 * SEC);
    expect(await getStable(app)).toEqual({ access_token: b.access_token, expires_in: 7190 });
    s.clock.advance(289 * SEC - 1);
    expect(await check(a.access_token, app.appid)).toBe(0);
    s.clock.advance(1);
    expect(await check(a.access_token)).toBe(42001);
    expect(await check(b.access_token, app.appid)).toBe(0);
  });

  test('force_refresh issues a new token and the old one is invalid at once (40001)', async () => {
    const app = await s.newApp();
    const a = await getStable(app);
    s.clock.advance(100 * SEC);
    const b = await getStable(app, true);
    expect(b.access_token).not.toBe(a.access_token);
    expect(b.expires_in).toBe(7200);
    expect(await check(a.access_token)).toBe(40001);
    expect(await check(b.access_token, app.appid)).toBe(0);
    expect(await getStable(app)).toEqual(b);
  });

  test('a second force within 30 s returns the current token unchanged; after 30 s it refreshes again', async () => {
    const app = await s.newApp();
    const a = await getStable(app, true);
    s.clock.advance(30 * SEC - 1);
    const again = await getStable(app, true);
    expect(again.access_token).toBe(a.access_token);
    expect(again.expires_in).toBe(7170);
    expect(await check(a.access_token, app.appid)).toBe(0);
    s.clock.advance(1);
    const b = await getStable(app, true);
    expect(b).not.toEqual(expect.objectContaining({ access_token: a.access_token }));
    expect(b.expires_in).toBe(7200);
    expect(await check(a.access_token)).toBe(40001);
  });

  test('the 21st forced refresh of a China day is 45009; the count resets at UTC+8 midnight', async () => {
    const app = await s.newApp();
    // The manual clock starts at 2026-01-01 04:00 UTC, 12:00 in China.
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      seen.add((await getStable(app, true)).access_token);
      s.clock.advance(30 * SEC);
    }
    expect(seen.size).toBe(20);
    const over = await stableToken(app, true);
    expect(over.statusCode).toBe(200);
    expect(over.json().errcode).toBe(45009);
    // An unforced call still works and gives the last forced token.
    s.clock.advance(30 * SEC);
    expect((await getStable(app)).access_token).toBe([...seen].at(-1));

    s.clock.set(Date.UTC(2026, 0, 1, 15, 59)); // 23:59 in China
    expect((await stableToken(app, true)).json().errcode).toBe(45009);
    s.clock.set(Date.UTC(2026, 0, 1, 16, 0)); // midnight in China, 60 s later
    const next = await getStable(app, true);
    expect(seen.has(next.access_token)).toBe(false);
    expect(next.expires_in).toBe(7200);
  });

  test('stable and /cgi-bin/token tokens are separate families: neither invalidates the other', async () => {
    const app = await s.newApp();
    const plain = await getToken(app);
    const stable = await getStable(app);
    expect(stable.access_token).not.toBe(plain.access_token);

    // New plain tokens leave the stable one alone, even past the 5-minute overlap...
    await getToken(app);
    s.clock.advance(6 * MIN);
    await getToken(app);
    expect(await check(stable.access_token, app.appid)).toBe(0);
    expect(await getStable(app)).toEqual({ access_token: stable.access_token, expires_in: 7200 - 360 });

    // ...and forced stable refreshes leave the plain one alone.
    const latestPlain = await getToken(app);
    await getStable(app, true);
    s.clock.advance(30 * SEC);
    await getStable(app, true);
    expect(await check(latestPlain.access_token, app.appid)).toBe(0);
    expect(await check(stable.access_token)).toBe(40001);
  });

  test('20 concurrent calls at the renewal moment all get one single new token', async () => {
    const app = await s.newApp();
    const a = await getStable(app);
    s.clock.advance((7200 - 299) * SEC);
    const answers = await Promise.all(Array.from({ length: 20 }, () => stableToken(app)));
    const bodies = answers.map((r) => r.json() as TokenBody);
    const tokens = new Set(bodies.map((b) => b.access_token));
    expect(tokens.size).toBe(1);
    const [renewed] = [...tokens];
    expect(renewed).not.toBe(a.access_token);
    for (const b of bodies) expect(b.expires_in).toBe(7200);
    expect(await getStable(app)).toEqual({ access_token: renewed, expires_in: 7200 });
    expect(await check(a.access_token, app.appid)).toBe(0);
  });

  test('20 interleaved renewals in the domain issue one token (compare-and-set)', async () => {
    const app = await s.newApp();
    const a = await getStable(app);
    s.clock.advance((7200 - 299) * SEC);
    // Started in one tick, the calls all read the due token before any of them renews it.
    const c = { grant_type: 'client_credential', appid: app.appid, secret: app.secret };
    const answers = await Promise.all(Array.from({ length: 20 }, () => getStableAccessToken(s.ctx, c)));
    const tokens = new Set(answers.map((r) => r.access_token));
    expect(tokens.size).toBe(1);
    expect(tokens.has(a.access_token)).toBe(false);
    expect((await s.ctx.store.tokens.latest(app.appid, 'stable'))?.token).toBe([...tokens][0]);
  });
});
