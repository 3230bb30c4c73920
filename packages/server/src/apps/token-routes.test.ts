import { afterEach, describe, expect, test } from 'vitest';
import type { Limits } from '../config.js';
import { type TestServer, testServer } from '../test-support/harness.js';

const RID = /^(.+) rid: ([0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8})$/;

let s: TestServer;
afterEach(() => s?.close());

async function server(limits: Partial<Limits> = {}) {
  s = await testServer({ limits });
  return s;
}

type Reply = { statusCode: number; json(): unknown };

/** A WeChat error: HTTP 200, exactly `{errcode, errmsg}`, errmsg ending in ` rid: <id>`. Returns the text. */
function expectError(res: Reply, errcode: number): string {
  expect(res.statusCode).toBe(200);
  const body = res.json() as { errcode: number; errmsg: string };
  expect(Object.keys(body).sort()).toEqual(['errcode', 'errmsg']);
  expect(body.errcode).toBe(errcode);
  const match = RID.exec(body.errmsg);
  expect(match, body.errmsg).not.toBeNull();
  return match![1]!;
}

function token(query: Record<string, string>) {
  return s.app.inject({ method: 'GET', url: '/cgi-bin/token', query });
}

/** An object is posted as JSON; a string is posted as it is, labelled by `headers` alone. */
function stable(payload: unknown, headers: Record<string, string> = {}) {
  const raw = typeof payload === 'string';
  return s.app.inject({
    method: 'POST',
    url: '/cgi-bin/stable_token',
    headers: raw ? headers : { 'content-type': 'application/json', ...headers },
    payload: raw ? payload : JSON.stringify(payload),
  });
}

const creds = (app: { appid: string; secret: string }) => ({
  grant_type: 'client_credential',
  appid: app.appid,
  secret: app.secret,
});

describe('credential errors, on both token endpoints', () => {
  const endpoints = {
    token: (q: Record<string, string>) => token(q),
    stable_token: (q: Record<string, string>) => stable(q),
  };
  for (const [name, call] of Object.entries(endpoints)) {
    test(`${name}: 40002, 41002, 41004, 40013, 40125 in WeChat's order`, async () => {
      const app = await (await server()).newApp();
      const c = creds(app);
      expect(expectError(await call({ ...c, grant_type: 'authorization_code' }), 40002)).toBe(
        'invalid grant_type',
      );
      const { grant_type: _g, ...noGrant } = c;
      expectError(await call(noGrant), 40002);
      const { appid: _a, ...noAppid } = c;
      expect(expectError(await call(noAppid), 41002)).toBe('appid missing');
      const { secret: _s, ...noSecret } = c;
      expect(expectError(await call(noSecret), 41004)).toBe('appsecret missing');
      expect(expectError(await call({ ...c, appid: 'wx0000000000000000' }), 40013)).toBe('invalid appid');
      expectError(await call({ ...c, appid: 'not an appid' }), 40013);
      expectError(await call({ ...c, appid: 'x'.repeat(5000) }), 40013);
      expect(expectError(await call({ ...c, secret: 'f'.repeat(32) }), 40125)).toBe('invalid appsecret');
      // The same call with the right secret works.
      const ok = await call(c);
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    });
  }
});

describe('/cgi-bin/token', () => {
  test('a broken store answers HTTP 200 with -1 system error', async () => {
    const app = await (await server()).newApp();
    await s.ctx.store.close();
    expect(expectError(await token(creds(app)), -1)).toBe('system error');
    expectError(await stable(creds(app)), -1);
  });

  test('over tokenCallsPerDay: 45009, until the next China day', async () => {
    const app = await (await server({ tokenCallsPerDay: 3 })).newApp();
    for (let i = 0; i < 3; i++) expect((await token(creds(app))).json()).toHaveProperty('access_token');
    expect(expectError(await token(creds(app)), 45009)).toBe('reach max api daily quota limit');
    s.clock.set(Date.UTC(2026, 0, 1, 15, 59, 59)); // 23:59:59 in China
    expectError(await token(creds(app)), 45009);
    s.clock.set(Date.UTC(2026, 0, 1, 16)); // midnight in China
    expect((await token(creds(app))).json()).toHaveProperty('access_token');
  });

  test('the quota is per app', async () => {
    await server({ tokenCallsPerDay: 1 });
    const [a, b] = [await s.newApp(), await s.newApp()];
    await token(creds(a));
    expectError(await token(creds(a)), 45009);
    expect((await token(creds(b))).json()).toHaveProperty('access_token');
  });

  test('a repeated query key is a data format error, not a crash', async () => {
    const app = await (await server()).newApp();
    const res = await s.app.inject({
      method: 'GET',
      url: `/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&appid=${app.appid}&secret=${app.secret}`,
    });
    expectError(res, 47001);
  });
});

describe('/cgi-bin/stable_token', () => {
  test('GET is 43002 require POST method', async () => {
    const app = await (await server()).newApp();
    const res = await s.app.inject({ method: 'GET', url: '/cgi-bin/stable_token', query: creds(app) });
    expect(expectError(res, 43002)).toBe('require POST method');
  });

  test('over stableTokenCallsPerDay: 45009', async () => {
    const app = await (await server({ stableTokenCallsPerDay: 2 })).newApp();
    await stable(creds(app));
    s.clock.advance(60_000);
    await stable(creds(app));
    s.clock.advance(60_000);
    expectError(await stable(creds(app)), 45009);
    s.clock.set(Date.UTC(2026, 0, 1, 16));
    expect((await stable(creds(app))).json()).toHaveProperty('access_token');
  });

  test('over stableTokenCallsPerMinute: 45011, until the next minute', async () => {
    const app = await (await server({ stableTokenCallsPerMinute: 2 })).newApp();
    await stable(creds(app));
    await stable(creds(app));
    expect(expectError(await stable(creds(app)), 45011)).toBe(
      'api minute-quota reach limit mustslower retry next minute',
    );
    s.clock.advance(60_000);
    expect((await stable(creds(app))).json()).toHaveProperty('access_token');
  });

  test('an empty body is 44002 empty post data, whatever it is labelled', async () => {
    await server();
    for (const headers of [
      {},
      { 'content-type': 'application/json' },
      { 'content-type': 'text/plain' },
      {
        'content-type': 'application/x-www-form-urlencoded',
      },
    ]) {
      const res = await s.app.inject({ method: 'POST', url: '/cgi-bin/stable_token', headers, payload: '' });
      expect(expectError(res, 44002), JSON.stringify(headers)).toBe('empty post data');
    }
    const none = await s.app.inject({ method: 'POST', url: '/cgi-bin/stable_token' });
    expectError(none, 44002);
  });

  test('malformed JSON, a JSON array or wrongly typed fields are 47001 data format error', async () => {
    const app = await (await server()).newApp();
    expectError(await stable('{"appid":', { 'content-type': 'application/json' }), 47001);
    expectError(await stable('{"appid":', { 'content-type': 'text/plain' }), 47001);
    expectError(await stable([]), 47001);
    expectError(await stable([creds(app)]), 47001);
    expectError(await stable('"client_credential"', { 'content-type': 'application/json' }), 47001);
    expectError(await stable({ ...creds(app), force_refresh: 'yes' }), 47001);
    expectError(await stable({ ...creds(app), appid: 123 }), 47001);
  });

  test('JSON sent as a form (curl -d) or as text/plain or with no content type works', async () => {
    const app = await (await server()).newApp();
    const body = JSON.stringify(creds(app));
    const first = await stable(body, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(first.statusCode).toBe(200);
    const { access_token } = first.json() as { access_token: string };
    expect(access_token).toEqual(expect.any(String));
    for (const headers of [{ 'content-type': 'text/plain' }, {}] as Record<string, string>[]) {
      const res = await stable(body, headers);
      expect(res.json(), JSON.stringify(headers)).toEqual({ access_token, expires_in: 7200 });
    }
    const forced = await stable(JSON.stringify({ ...creds(app), force_refresh: true }), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect((forced.json() as { access_token: string }).access_token).not.toBe(access_token);
  });
});
