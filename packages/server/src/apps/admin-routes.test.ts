import {
  APPID_PATTERN,
  type AppView,
  isSdkAppId,
  RTC_SECRET_KEY_PATTERN,
  SECRET_PATTERN,
} from '@beckon/protocol';
import { genUserSig } from '@beckon/protocol/node';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { verifyAppUserSig } from '../calls/credentials.js';
import { ADMIN_TOKEN, RID_SUFFIX as RID, type TestServer, testServer } from '../test-support/harness.js';

let s: TestServer;
beforeEach(async () => {
  s = await testServer();
});
afterEach(() => s.close());

function admin(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  payload?: unknown,
  token = ADMIN_TOKEN,
) {
  return s.app.inject({
    method,
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/** An admin error: the registry's HTTP status and `{errcode, errmsg}` with the rid. */
function expectError(res: { statusCode: number; json(): unknown }, status: number, errcode: number) {
  expect(res.statusCode).toBe(status);
  const body = res.json() as { errcode: number; errmsg: string };
  expect(Object.keys(body).sort()).toEqual(['errcode', 'errmsg']);
  expect(body.errcode).toBe(errcode);
  expect(body.errmsg).toMatch(RID);
  return body.errmsg;
}

async function create(body: object = { name: 'Shop', type: 'miniprogram' }): Promise<Required<AppView>> {
  const res = await admin('POST', '/admin/apps', body);
  expect(res.statusCode).toBe(201);
  return res.json();
}

/** What the calling sign-in would say about this sig, through the verification helper. */
async function userSig(sdkAppId: number, userId: string, sig: string) {
  const verdict = await verifyAppUserSig(s.ctx, sdkAppId, userId, sig);
  return verdict.ok ? { ok: true } : { ok: false, code: verdict.error.code };
}

function tokenCall(appid: string, secret: string) {
  return s.app.inject({
    method: 'GET',
    url: '/cgi-bin/token',
    query: { grant_type: 'client_credential', appid, secret },
  });
}

describe('admin auth', () => {
  test('a missing or wrong bearer token is 401 91002 on every admin route', async () => {
    const app = await create();
    const routes: ['GET' | 'POST' | 'PUT' | 'PATCH', string, unknown?][] = [
      ['GET', '/admin/apps'],
      ['POST', '/admin/apps', { name: 'X', type: 'minigame' }],
      ['GET', `/admin/apps/${app.appid}`],
      ['POST', `/admin/apps/${app.appid}/reset-secret`],
      ['POST', `/admin/apps/${app.appid}/reset-rtc-key`],
      ['POST', `/admin/apps/${app.appid}/ban`],
      ['POST', `/admin/apps/${app.appid}/unban`],
      ['PUT', `/admin/apps/${app.appid}/pages`, { pages: [] }],
      ['PATCH', `/admin/apps/${app.appid}`, { name: 'Renamed', frontend: 'https://x.example/' }],
    ];
    for (const [method, url, body] of routes) {
      expectError(await admin(method, url, body, ''), 401, 91002);
      expectError(await admin(method, url, body, 'wrong'), 401, 91002);
      expectError(await admin(method, url, body, `${ADMIN_TOKEN}x`), 401, 91002);
    }
    const basic = await s.app.inject({
      method: 'GET',
      url: '/admin/apps',
      headers: { authorization: `Basic ${ADMIN_TOKEN}` },
    });
    expectError(basic, 401, 91002);
    // Nothing was changed by the refused calls.
    const shown = (await admin('GET', `/admin/apps/${app.appid}`)).json();
    expect(shown).toEqual(app);
    expect((await admin('GET', '/admin/apps')).json().apps).toHaveLength(1);
  });
});

describe('apps', () => {
  test('create answers 201 with a WeChat-shaped appid and secret', async () => {
    const app = await create({ name: 'Shop', type: 'minigame', owner: 'acme' });
    expect(app).toEqual({
      appid: expect.stringMatching(APPID_PATTERN),
      secret: expect.stringMatching(SECRET_PATTERN),
      name: 'Shop',
      type: 'minigame',
      originalId: expect.stringMatching(/^gh_[0-9a-f]{12}$/),
      owner: 'acme',
      subscribeBanned: false,
      pages: [],
      dailySendCap: null,
      icon: null,
      frontend: null,
      createdAt: new Date(s.clock.now()).toISOString(),
      sdkAppId: expect.any(Number),
      rtcSecretKey: expect.stringMatching(RTC_SECRET_KEY_PATTERN),
    });
    expect(isSdkAppId(app.sdkAppId)).toBe(true);
    expect(String(app.sdkAppId)).toMatch(/^14\d{8}$/);
    expect(app.appid).toMatch(/^wx[0-9a-f]{16}$/);
    expect(app.secret).toMatch(/^[0-9a-f]{32}$/);
    const other = await create();
    expect(other.appid).not.toBe(app.appid);
    expect(other.secret).not.toBe(app.secret);
    expect(other.sdkAppId).not.toBe(app.sdkAppId);
    expect(other.rtcSecretKey).not.toBe(app.rtcSecretKey);
    expect(other.owner).toBe('default');
    expect((await tokenCall(app.appid, app.secret)).json()).toHaveProperty('access_token');
  });

  test('bad bodies are 400 91000', async () => {
    const bad: unknown[] = [
      { type: 'miniprogram' },
      { name: '', type: 'miniprogram' },
      { name: '   ', type: 'miniprogram' },
      { name: 'x'.repeat(65), type: 'miniprogram' },
      { name: 'Shop' },
      { name: 'Shop', type: 'webapp' },
      { name: 'Shop', type: 'miniprogram', extra: 1 },
      { name: 7, type: 'miniprogram' },
      [{ name: 'Shop', type: 'miniprogram' }],
    ];
    for (const body of bad) expectError(await admin('POST', '/admin/apps', body), 400, 91000);
    expect((await admin('GET', '/admin/apps')).json()).toEqual({ apps: [] });
  });

  test('list shows every app, oldest first, without secrets; show has the secret', async () => {
    const a = await create({ name: 'A', type: 'miniprogram' });
    s.clock.advance(1000);
    const b = await create({ name: 'B', type: 'minigame' });
    const res = await admin('GET', '/admin/apps');
    expect(res.statusCode).toBe(200);
    const { secret: _a, rtcSecretKey: _ak, ...aView } = a;
    const { secret: _b, rtcSecretKey: _bk, ...bView } = b;
    expect(res.json()).toEqual({ apps: [aView, bView] });
    expect(res.body).not.toContain(a.secret);
    expect(res.body).not.toContain(a.rtcSecretKey);
    expect(res.json().apps[0].sdkAppId).toBe(a.sdkAppId);

    const shown = await admin('GET', `/admin/apps/${b.appid}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toEqual(b);
  });

  test('reset-secret: the old secret is 40125 on /cgi-bin/token, the new one works', async () => {
    const app = await create();
    const res = await admin('POST', `/admin/apps/${app.appid}/reset-secret`);
    expect(res.statusCode).toBe(200);
    const reset = res.json();
    expect(reset).toEqual({ ...app, secret: expect.stringMatching(SECRET_PATTERN) });
    expect(reset.secret).not.toBe(app.secret);
    const old = await tokenCall(app.appid, app.secret);
    expect(old.statusCode).toBe(200);
    expect(old.json().errcode).toBe(40125);
    expect((await tokenCall(app.appid, reset.secret)).json()).toHaveProperty('access_token');
    expect((await admin('GET', `/admin/apps/${app.appid}`)).json().secret).toBe(reset.secret);
  });

  test('reset-rtc-key: a new key, same SDKAppID and secret; sigs signed with the old key are refused', async () => {
    const app = await create();
    const oldSig = genUserSig({ sdkAppId: app.sdkAppId, secretKey: app.rtcSecretKey, userId: 'alice' });
    expect(await userSig(app.sdkAppId, 'alice', oldSig)).toEqual({ ok: true });
    const res = await admin('POST', `/admin/apps/${app.appid}/reset-rtc-key`);
    expect(res.statusCode).toBe(200);
    const reset = res.json();
    expect(reset).toEqual({ ...app, rtcSecretKey: expect.stringMatching(RTC_SECRET_KEY_PATTERN) });
    expect(reset.rtcSecretKey).not.toBe(app.rtcSecretKey);
    expect((await admin('GET', `/admin/apps/${app.appid}`)).json()).toEqual(reset);
    // The apps read cache was dropped: the old key no longer verifies, the new one does.
    expect(await userSig(app.sdkAppId, 'alice', oldSig)).toEqual({ ok: false, code: 70009 });
    const newSig = genUserSig({ sdkAppId: app.sdkAppId, secretKey: reset.rtcSecretKey, userId: 'alice' });
    expect(await userSig(app.sdkAppId, 'alice', newSig)).toEqual({ ok: true });
    // The app secret (open API) is untouched.
    expect((await tokenCall(app.appid, app.secret)).json()).toHaveProperty('access_token');
  });

  test('ban and unban flip subscribeBanned, and say so without the secret', async () => {
    const app = await create();
    const banned = await admin('POST', `/admin/apps/${app.appid}/ban`);
    expect(banned.statusCode).toBe(200);
    expect(banned.json()).toMatchObject({ appid: app.appid, subscribeBanned: true });
    expect(banned.json()).not.toHaveProperty('secret');
    expect(banned.json()).not.toHaveProperty('rtcSecretKey');
    expect(banned.json().sdkAppId).toBe(app.sdkAppId);
    expect((await admin('GET', `/admin/apps/${app.appid}`)).json().subscribeBanned).toBe(true);
    // Banning twice is harmless.
    expect((await admin('POST', `/admin/apps/${app.appid}/ban`)).json().subscribeBanned).toBe(true);
    const unbanned = await admin('POST', `/admin/apps/${app.appid}/unban`);
    expect(unbanned.json()).toMatchObject({ appid: app.appid, subscribeBanned: false });
    expect((await admin('GET', '/admin/apps')).json().apps[0].subscribeBanned).toBe(false);
  });

  test('pages are normalised: no leading slash, no query, no duplicates', async () => {
    const app = await create();
    const res = await admin('PUT', `/admin/apps/${app.appid}/pages`, {
      pages: ['pages/index/index', '/pages/order/detail?id=1', 'pages/index/index?from=card', '//pages/a'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().pages).toEqual(['pages/index/index', 'pages/order/detail', 'pages/a']);
    expect(res.json()).not.toHaveProperty('secret');
    expect((await admin('GET', `/admin/apps/${app.appid}`)).json().pages).toEqual(res.json().pages);
    // An empty list clears them.
    expect((await admin('PUT', `/admin/apps/${app.appid}/pages`, { pages: [] })).json().pages).toEqual([]);
  });

  test('a bad page or pages body is 400 91000 and changes nothing', async () => {
    const app = await create();
    await admin('PUT', `/admin/apps/${app.appid}/pages`, { pages: ['pages/a'] });
    const bad: unknown[] = [
      { pages: ['pages/a b'] },
      { pages: ['?only=query'] },
      { pages: ['/'] },
      { pages: ['pages/<script>'] },
      { pages: [''] },
      { pages: [1] },
      { pages: 'pages/a' },
      { pages: Array.from({ length: 501 }, (_, i) => `p/${i}`) },
      { pages: [], extra: true },
      {},
    ];
    for (const body of bad) {
      expectError(await admin('PUT', `/admin/apps/${app.appid}/pages`, body), 400, 91000);
    }
    expect((await admin('GET', `/admin/apps/${app.appid}`)).json().pages).toEqual(['pages/a']);
  });

  test('an unknown appid is 404 91003 on every per-app route', async () => {
    for (const appid of ['wx0000000000000000', 'nonsense', 'x'.repeat(64)]) {
      expectError(await admin('GET', `/admin/apps/${appid}`), 404, 91003);
      expectError(await admin('POST', `/admin/apps/${appid}/reset-secret`), 404, 91003);
      expectError(await admin('POST', `/admin/apps/${appid}/reset-rtc-key`), 404, 91003);
      expectError(await admin('POST', `/admin/apps/${appid}/ban`), 404, 91003);
      expectError(await admin('POST', `/admin/apps/${appid}/unban`), 404, 91003);
      expectError(await admin('PUT', `/admin/apps/${appid}/pages`, { pages: [] }), 404, 91003);
      expectError(await admin('PATCH', `/admin/apps/${appid}`, { name: 'X' }), 404, 91003);
    }
    expect(expectError(await admin('GET', '/admin/apps/wx0000000000000000'), 404, 91003)).toMatch(
      /^app not found: wx0000000000000000 rid: /,
    );
    // Too long for an appid at all: a bad request, not a crash.
    expectError(await admin('GET', `/admin/apps/${'x'.repeat(65)}`), 400, 91000);
  });
});

describe('name, icon and front end', () => {
  const show = async (appid: string): Promise<AppView> => (await admin('GET', `/admin/apps/${appid}`)).json();

  test('create takes an icon and a front end; the front end is normalised to end its path in /', async () => {
    const app = await create({
      name: 'Shop',
      type: 'miniprogram',
      icon: 'https://cdn.example/shop.png?v=2',
      frontend: 'HTTPS://Shop.Example:443/mp',
    });
    expect(app.icon).toBe('https://cdn.example/shop.png?v=2');
    expect(app.frontend).toBe('https://shop.example/mp/');
    expect(new URL('pages/index/index', app.frontend!).href).toBe(
      'https://shop.example/mp/pages/index/index',
    );
    const none = await create({ name: 'Bare', type: 'minigame', icon: null, frontend: null });
    expect([none.icon, none.frontend]).toEqual([null, null]);
  });

  test('PATCH sets, keeps and clears: a field left out is kept, null clears; the secret is not shown', async () => {
    const app = await create();
    const set = await admin('PATCH', `/admin/apps/${app.appid}`, {
      frontend: 'http://127.0.0.1:8721',
      icon: 'http://127.0.0.1:8721/icon.svg',
    });
    expect(set.statusCode).toBe(200);
    const { secret, rtcSecretKey, ...publicView } = app;
    expect(set.json()).toEqual({
      ...publicView,
      frontend: 'http://127.0.0.1:8721/',
      icon: 'http://127.0.0.1:8721/icon.svg',
    });

    const renamed = (await admin('PATCH', `/admin/apps/${app.appid}`, { name: '  Corner Shop ' })).json();
    expect(renamed).toMatchObject({ name: 'Corner Shop', frontend: 'http://127.0.0.1:8721/' });

    const cleared = (await admin('PATCH', `/admin/apps/${app.appid}`, { frontend: null })).json();
    expect(cleared).toMatchObject({
      name: 'Corner Shop',
      frontend: null,
      icon: 'http://127.0.0.1:8721/icon.svg',
    });
    expect((await admin('PATCH', `/admin/apps/${app.appid}`, {})).json()).toEqual(cleared);
    expect(await show(app.appid)).toEqual({ ...cleared, secret, rtcSecretKey });
  });

  test('a front end already ending in / and one with a path keep their path', async () => {
    const app = await create();
    for (const [given, stored] of [
      ['https://a.example/', 'https://a.example/'],
      ['https://a.example', 'https://a.example/'],
      ['https://a.example/games/jump/', 'https://a.example/games/jump/'],
      ['  https://a.example/games/jump  ', 'https://a.example/games/jump/'],
      ['http://localhost:8722/shop/index.html', 'http://localhost:8722/shop/index.html/'],
    ]) {
      const res = await admin('PATCH', `/admin/apps/${app.appid}`, { frontend: given });
      expect(res.json().frontend).toBe(stored);
    }
  });

  test.each([
    [{ frontend: 'ftp://a.example/' }, 'frontend must be an http or https URL'],
    [{ frontend: 'javascript:alert(1)' }, 'frontend must be an http or https URL'],
    [{ frontend: '/relative/path' }, 'frontend must be an http or https URL'],
    [{ frontend: '' }, 'frontend must be an http or https URL'],
    [{ frontend: 'https://user:pw@a.example/' }, 'username or password'],
    [{ frontend: 'https://user@a.example/' }, 'username or password'],
    [{ frontend: 'https://a.example/?x=1' }, 'no query'],
    [{ frontend: 'https://a.example/?' }, 'no query'],
    [{ frontend: 'https://a.example/#top' }, 'fragment'],
    [{ frontend: 'https://a.example/#' }, 'fragment'],
    [{ icon: 'data:image/png;base64,AAAA' }, 'icon must be an http or https URL'],
    [{ icon: 'https://u:p@cdn.example/i.png' }, 'username or password'],
    [{ icon: `https://cdn.example/${'i'.repeat(2048)}` }, 'icon'],
    [{ frontend: `https://a.example/${'p'.repeat(2030)}` }, 'at most 2048 characters'],
    [{ name: '   ' }, 'name must be 1 to 64 characters'],
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(65) }, 'name'],
    [{ name: null }, 'name'],
    [{ frontend: 42 }, 'frontend'],
    [{ secret: 'mine' }, 'additional'],
    [{ type: 'minigame' }, 'additional'],
  ])('PATCH %j is 400 91000 (%s) and changes nothing', async (body, mentions) => {
    const app = await create({ name: 'Shop', type: 'miniprogram', frontend: 'https://kept.example/' });
    const before = await show(app.appid);
    // Each bad field is paired with a good one: nothing of the patch is written.
    const res = await admin('PATCH', `/admin/apps/${app.appid}`, {
      icon: 'https://ok.example/i.png',
      ...body,
    });
    expect(expectError(res, 400, 91000)).toContain(mentions);
    expect(await show(app.appid)).toEqual(before);
  });

  test("a front end on another app's front-end origin is 400 91000 naming that app; nothing is written", async () => {
    const shop = await create({ name: 'Shop', type: 'miniprogram', frontend: 'http://127.0.0.1:8721/shop' });
    const refused = await admin('POST', '/admin/apps', {
      name: 'Game',
      type: 'minigame',
      frontend: 'http://127.0.0.1:8721/game/',
    });
    expect(expectError(refused, 400, 91000)).toContain(
      `http://127.0.0.1:8721 is the origin of app ${shop.appid}'s front end`,
    );
    expect((await admin('GET', '/admin/apps')).json().apps).toHaveLength(1);

    const game = await create({ name: 'Game', type: 'minigame', frontend: 'http://127.0.0.1:8722/' });
    const before = await show(game.appid);
    const patched = await admin('PATCH', `/admin/apps/${game.appid}`, {
      name: 'Renamed',
      frontend: 'HTTP://127.0.0.1:8721/other',
    });
    expect(expectError(patched, 400, 91000)).toContain(shop.appid);
    expect(await show(game.appid)).toEqual(before);
    // The shop moves within its own origin; once it moves away, the game may take the old one.
    expect(
      (await admin('PATCH', `/admin/apps/${shop.appid}`, { frontend: 'http://127.0.0.1:8721/v2' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await admin('PATCH', `/admin/apps/${shop.appid}`, { frontend: 'http://127.0.0.1:8723/' })).statusCode,
    ).toBe(200);
    const moved = await admin('PATCH', `/admin/apps/${game.appid}`, { frontend: 'http://127.0.0.1:8721/' });
    expect(moved.json()).toMatchObject({ frontend: 'http://127.0.0.1:8721/' });
  });

  test('create refuses a bad icon or front end and makes no app', async () => {
    for (const extra of [{ frontend: 'https://a.example/?q' }, { icon: 'file:///etc/passwd' }]) {
      expectError(
        await admin('POST', '/admin/apps', { name: 'Shop', type: 'miniprogram', ...extra }),
        400,
        91000,
      );
    }
    expect((await admin('GET', '/admin/apps')).json()).toEqual({ apps: [] });
  });
});
