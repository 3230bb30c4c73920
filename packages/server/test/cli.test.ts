import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isSdkAppId, RTC_SECRET_KEY_PATTERN } from '@beckon/protocol';
import { verifyUserSig } from '@beckon/protocol/node';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { migrations } from '../src/store/sqlite/migrations.js';
import {
  buildServer,
  eventually,
  operator,
  type Run,
  requestLog,
  type Server,
} from './support/built-server.js';

/**
 * The built `beckon` CLI as a user runs it: against a stopped server (straight to the data dir), against a
 * running one (through its admin API), and the server's own start and graceful stop.
 */

const APPID = /^wx[0-9a-f]{16}$/;
const SECRET = /^[0-9a-f]{32}$/;

const { dataDir, beckon, beckonJson, startServer } = operator('beckon-cli-');

async function stop(server: Server): Promise<number | null> {
  server.child.kill('SIGTERM');
  return server.exited;
}

/** The userSig on the last line of `beckon usersig`'s output. */
function lastLine(run: Run): string {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout.trimEnd().split('\n').at(-1)!;
}

/** Whether a printed sig is one the app's key signed for the user (and still valid now). */
function verifies(app: { sdkAppId: number; rtcSecretKey: string }, userId: string, userSig: string) {
  return verifyUserSig({ sdkAppId: app.sdkAppId, secretKey: app.rtcSecretKey, userId, userSig }).ok;
}

const adminToken = () => readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();

beforeAll(buildServer, 120_000);

let server: Server | undefined;
afterAll(async () => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('beckon CLI', () => {
  let first: { appid: string; secret: string; name: string; sdkAppId: number; rtcSecretKey: string };
  let second: { appid: string; secret: string };

  test('app create against a stopped server writes to the data dir', async () => {
    first = await beckonJson('app', 'create', '--name', 'Shop', '--type', 'miniprogram');
    expect(first).toMatchObject({
      appid: expect.stringMatching(APPID),
      secret: expect.stringMatching(SECRET),
    });
    expect(first.name).toBe('Shop');
    expect(isSdkAppId(first.sdkAppId)).toBe(true);
    expect(first.rtcSecretKey).toMatch(RTC_SECRET_KEY_PATTERN);
    expect(existsSync(join(dataDir, 'beckon.db'))).toBe(true);
    expect(existsSync(join(dataDir, 'server.json'))).toBe(false);

    const bad = await beckon('app', 'create', '--name', 'X', '--type', 'webapp');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^beckon: app create needs --type miniprogram\|minigame/);
  });

  test('usersig against a stopped server signs from the data dir; the sig is the last line', async () => {
    const run = await beckon('usersig', '--app', String(first.sdkAppId), '--user', 'alice_1');
    const sig = lastLine(run);
    expect(run.stdout).toContain(`userSig for alice_1 in SDKAppID ${first.sdkAppId}`);
    expect(run.stdout).toContain(`data dir ${dataDir}`);
    expect(verifies(first, 'alice_1', sig)).toBe(true);
    expect(verifies(first, 'bob', sig)).toBe(false);
    const json = await beckonJson<{ userSig: string; expire: number }>(
      'usersig',
      '--app',
      String(first.sdkAppId),
      '--user',
      'bob',
      '--expire',
      '60',
    );
    expect(json.expire).toBe(60);
    expect(verifies(first, 'bob', json.userSig)).toBe(true);
  });

  test('start listens on a free port (BECKON_PORT=0) and writes server.json', async () => {
    server = await startServer();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).not.toMatch(/:0$/);
    const file = JSON.parse(readFileSync(join(dataDir, 'server.json'), 'utf8'));
    expect(file).toEqual({ url: server.url, pid: server.child.pid });
  });

  test('GET /health and GET / asking for JSON answer the status; a browser gets the phone', async () => {
    for (const [path, headers] of [
      ['/health', {}],
      ['/', { accept: 'application/json' }],
    ] as const) {
      const json = await fetch(`${server!.url}${path}`, { headers });
      expect(json.status).toBe(200);
      expect(await json.json()).toMatchObject({ status: 'ok' });
    }
    const html = await fetch(`${server!.url}/`, { headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('<title>Beckon</title>');
  });

  test('app list and app create go through the running server', async () => {
    const { apps } = { apps: await beckonJson<{ appid: string; secret?: string }[]>('app', 'list') };
    expect(apps.map((a) => a.appid)).toEqual([first.appid]);
    expect(apps[0]).not.toHaveProperty('secret');
    await eventually(() => requestLog(server!, 'GET', '/admin/apps').length === 1);

    second = await beckonJson('app', 'create', '--name', 'Game', '--type', 'minigame');
    expect(second.appid).toMatch(APPID);
    await eventually(() => requestLog(server!, 'POST', '/admin/apps').length === 1);
    const res = await fetch(`${server!.url}/admin/apps`, {
      headers: { authorization: `Bearer ${adminToken()}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { apps: { appid: string }[] };
    expect(body.apps.map((a) => a.appid)).toEqual([first.appid, second.appid]);
  });

  test('ban, pages and reset-secret through the server', async () => {
    expect(await beckonJson('app', 'ban', second.appid)).toMatchObject({ subscribeBanned: true });
    const paged = await beckonJson(
      'app',
      'pages',
      first.appid,
      'pages/index/index',
      '/pages/order/detail?id=1',
    );
    expect(paged.pages).toEqual(['pages/index/index', 'pages/order/detail']);

    const reset = await beckonJson<{ secret: string }>('app', 'reset-secret', first.appid);
    expect(reset.secret).toMatch(SECRET);
    expect(reset.secret).not.toBe(first.secret);
    const token = (secret: string) =>
      fetch(
        `${server!.url}/cgi-bin/token?grant_type=client_credential&appid=${first.appid}&secret=${secret}`,
      ).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const old = await token(first.secret);
    expect(old.status).toBe(200);
    expect(old.body.errcode).toBe(40125);
    const fresh = await token(reset.secret);
    expect(fresh.body).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    first.secret = reset.secret;

    const human = await beckon('app', 'show', first.appid);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`secret       ${reset.secret}`);
    expect(human.stdout).toContain('pages        pages/index/index, pages/order/detail');
  });

  test('frontend, icon and rename through the server; app show prints them', async () => {
    const fronted = await beckonJson('app', 'frontend', first.appid, 'http://127.0.0.1:9/shop');
    expect(fronted.frontend).toBe('http://127.0.0.1:9/shop/');
    await eventually(() => requestLog(server!, 'PATCH', `/admin/apps/${first.appid}`).length === 1);
    expect(await beckonJson('app', 'icon', first.appid, 'https://cdn.example/shop.png')).toMatchObject({
      icon: 'https://cdn.example/shop.png',
      frontend: 'http://127.0.0.1:9/shop/',
    });
    const renamed = await beckonJson('app', 'rename', first.appid, 'Corner', 'Shop');
    expect(renamed).toMatchObject({ name: 'Corner Shop', icon: 'https://cdn.example/shop.png' });
    expect(renamed).not.toHaveProperty('secret');

    const human = await beckon('app', 'show', first.appid);
    expect(human.stdout).toContain('name         Corner Shop');
    expect(human.stdout).toContain('frontend     http://127.0.0.1:9/shop/');
    expect(human.stdout).toContain('icon         https://cdn.example/shop.png');

    const query = await beckon('app', 'frontend', first.appid, 'https://shop.example/?x=1');
    expect(query.code).toBe(1);
    expect(query.stderr).toMatch(/^beckon: invalid request: frontend must have no query .*\(errcode 91000\)/);
    const noUrl = await beckon('app', 'icon', first.appid);
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toMatch(/^beckon: app icon needs APPID URL \(or APPID --off\)/);
    const both = await beckon('app', 'icon', first.appid, 'https://a.example/i.png', '--off');
    expect(both.stderr).toMatch(/^beckon: app icon takes a URL or --off, not both/);
    // The refused commands changed nothing.
    expect(await beckonJson('app', 'show', first.appid)).toMatchObject({
      name: 'Corner Shop',
      icon: 'https://cdn.example/shop.png',
      frontend: 'http://127.0.0.1:9/shop/',
    });
  });

  test('reset-rtc-key and usersig through the server; app show prints the SDKAppID and the key', async () => {
    const before = lastLine(await beckon('usersig', '--app', String(first.sdkAppId), '--user', 'carol'));
    await eventually(() => requestLog(server!, 'POST', '/admin/usersig').length === 1);
    expect(verifies(first, 'carol', before)).toBe(true);

    const reset = await beckonJson<{ sdkAppId: number; rtcSecretKey: string; secret: string }>(
      'app',
      'reset-rtc-key',
      first.appid,
    );
    await eventually(
      () => requestLog(server!, 'POST', `/admin/apps/${first.appid}/reset-rtc-key`).length === 1,
    );
    expect(reset.sdkAppId).toBe(first.sdkAppId);
    expect(reset.secret).toBe(first.secret);
    expect(reset.rtcSecretKey).toMatch(RTC_SECRET_KEY_PATTERN);
    expect(reset.rtcSecretKey).not.toBe(first.rtcSecretKey);
    first.rtcSecretKey = reset.rtcSecretKey;
    expect(verifies(first, 'carol', before)).toBe(false);
    const after = lastLine(await beckon('usersig', '--app', String(first.sdkAppId), '--user', 'carol'));
    expect(verifies(first, 'carol', after)).toBe(true);

    const shown = await beckonJson<{ sdkAppId: number; rtcSecretKey: string }>('app', 'show', first.appid);
    expect(shown).toMatchObject({ sdkAppId: first.sdkAppId, rtcSecretKey: reset.rtcSecretKey });
    const human = await beckon('app', 'show', first.appid);
    expect(human.stdout).toContain(`sdkappid     ${first.sdkAppId}`);
    expect(human.stdout).toContain(`rtc key      ${reset.rtcSecretKey}`);
    expect(human.stdout).toContain(`beckon usersig --app ${first.sdkAppId} --user USERID`);
    const listed = await beckonJson<{ sdkAppId: number }[]>('app', 'list');
    expect(listed[0]).toMatchObject({ sdkAppId: first.sdkAppId });
    expect(listed[0]).not.toHaveProperty('rtcSecretKey');
  });

  test('usersig: a bad userID, an unknown SDKAppID or a missing option exits 1 with a clear message', async () => {
    const badUser = await beckon('usersig', '--app', String(first.sdkAppId), '--user', 'al ice');
    expect(badUser.code).toBe(1);
    expect(badUser.stdout).toBe('');
    expect(badUser.stderr).toMatch(
      /^beckon: invalid userID: 1 to 32 letters, digits, hyphens or underscores/,
    );
    const tooLong = await beckon('usersig', '--app', String(first.sdkAppId), '--user', 'x'.repeat(33));
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toMatch(/^beckon: invalid userID/);
    const unknown = await beckon('usersig', '--app', '1400000000', '--user', 'alice');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^beckon: SDKAppID not found: 1400000000\b.*\(errcode 70020\)/);
    const noApp = await beckon('usersig', '--user', 'alice');
    expect(noApp.code).toBe(1);
    expect(noApp.stderr).toMatch(/^beckon: usersig needs --app SDKAPPID/);
    const badExpire = await beckon(
      'usersig',
      '--app',
      String(first.sdkAppId),
      '--user',
      'a',
      '--expire',
      '0',
    );
    expect(badExpire.code).toBe(1);
    expect(badExpire.stderr).toMatch(/^beckon: usersig --expire needs SECONDS, from 1 to 1576800000/);
  });

  test('an unknown app or command exits 1 with a clear message on stderr', async () => {
    const unknown = await beckon('app', 'show', 'wx0000000000000000');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^beckon: app not found: wx0000000000000000\b/);
    const missing = await beckon('app', 'ban');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^beckon: app ban needs an APPID/);
    const nonsense = await beckon('frobnicate');
    expect(nonsense.code).toBe(1);
    expect(nonsense.stderr).toMatch(/^beckon: unknown command: frobnicate/);
  });

  test('SIGTERM stops the server cleanly: exit 0, server.json removed', async () => {
    expect(await stop(server!)).toBe(0);
    expect(server!.output()).toContain('shutting down');
    expect(existsSync(join(dataDir, 'server.json'))).toBe(false);
  });

  test('the data survives: the CLI reads it from the data dir, and a restarted server serves it', async () => {
    const apps = await beckonJson<{ appid: string; subscribeBanned: boolean; pages: string[] }[]>(
      'app',
      'list',
    );
    expect(apps.map((a) => a.appid)).toEqual([first.appid, second.appid]);
    expect(apps[0]!.pages).toEqual(['pages/index/index', 'pages/order/detail']);
    expect(apps[1]!.subscribeBanned).toBe(true);
    const unknown = await beckon('app', 'show', 'wx0000000000000000');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^beckon: app not found: wx0000000000000000\b/);
    const unknownSdkAppId = await beckon('usersig', '--app', '1400000000', '--user', 'alice');
    expect(unknownSdkAppId.code).toBe(1);
    expect(unknownSdkAppId.stderr).toMatch(/^beckon: SDKAppID not found: 1400000000\b/);
    const sig = lastLine(await beckon('usersig', '--app', String(first.sdkAppId), '--user', 'dave'));
    expect(verifies(first, 'dave', sig)).toBe(true);

    server = await startServer();
    const again = await beckonJson<{ appid: string }[]>('app', 'list');
    expect(again.map((a) => a.appid)).toEqual([first.appid, second.appid]);
    await eventually(() => requestLog(server!, 'GET', '/admin/apps').length === 1);
    const res = await fetch(
      `${server.url}/cgi-bin/token?grant_type=client_credential&appid=${first.appid}&secret=${first.secret}`,
    );
    expect(await res.json()).toEqual({ access_token: expect.any(String), expires_in: 7200 });
  });

  test('after a crash (server.json left behind) the CLI falls back to the data dir', async () => {
    server!.child.kill('SIGKILL');
    await server!.exited;
    expect(existsSync(join(dataDir, 'server.json'))).toBe(true);
    const apps = await beckonJson<{ appid: string }[]>('app', 'list');
    expect(apps.map((a) => a.appid)).toEqual([first.appid, second.appid]);
  });
});

describe('a stopped server: front end, icon and name straight to the data dir', () => {
  const stopped = operator('beckon-cli-frontend-');
  afterAll(() => rmSync(stopped.dataDir, { recursive: true, force: true }));

  test('create with --frontend and --icon, then --off and rename', async () => {
    const app = await stopped.beckonJson<{ appid: string; frontend: string | null; icon: string | null }>(
      'app',
      'create',
      '--name',
      'Jump',
      '--type',
      'minigame',
      '--frontend',
      'https://game.example/jump',
      '--icon',
      'https://game.example/icon.png',
    );
    expect(app).toMatchObject({
      frontend: 'https://game.example/jump/',
      icon: 'https://game.example/icon.png',
    });
    expect(existsSync(join(stopped.dataDir, 'server.json'))).toBe(false);

    expect(await stopped.beckonJson('app', 'frontend', app.appid, '--off')).toMatchObject({
      frontend: null,
      icon: 'https://game.example/icon.png',
    });
    expect(await stopped.beckonJson('app', 'icon', app.appid, '--off')).toMatchObject({ icon: null });
    expect(await stopped.beckonJson('app', 'rename', app.appid, 'Jump Jump')).toMatchObject({
      name: 'Jump Jump',
    });
    const human = await stopped.beckon('app', 'show', app.appid);
    expect(human.stdout).toContain('frontend     (none: the phone does not list the app)');
    expect(human.stdout).toContain('icon         (none');

    const bad = await stopped.beckon(
      'app',
      'create',
      '--name',
      'X',
      '--type',
      'minigame',
      '--icon',
      'ftp://x/i',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^beckon: invalid request: icon must be an http or https URL/);
    const credentials = await stopped.beckon('app', 'frontend', app.appid, 'https://me:pw@game.example/');
    expect(credentials.stderr).toMatch(
      /^beckon: invalid request: frontend must not hold a username or password/,
    );
    expect((await stopped.beckonJson<unknown[]>('app', 'list')).length).toBe(1);
  });
});

describe('a data dir from before calling (migration 6)', () => {
  const old = operator('beckon-cli-v5-');
  afterAll(() => rmSync(old.dataDir, { recursive: true, force: true }));

  test('its apps get an SDKAppID and an RTC key on first open, and usersig works for them', async () => {
    // The database as the release before migration 6 left it, with one app in it.
    const db = new Database(join(old.dataDir, 'beckon.db'));
    db.exec(
      'CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    for (const m of migrations.filter((m) => m.id <= 5)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, 1)').run(m.id, m.name);
    }
    db.prepare(
      `INSERT INTO apps (appid, secret, name, type, original_id, owner, created_at)
         VALUES ('wx00000000000000aa', ?, 'Old shop', 'miniprogram', 'gh_0000000000aa', 'default', 1)`,
    ).run('a'.repeat(32));
    db.close();

    const run = await old.beckon('app', 'show', 'wx00000000000000aa', '--json');
    expect(run.stderr).toBe('');
    const app = JSON.parse(run.stdout) as {
      name: string;
      secret: string;
      sdkAppId: number;
      rtcSecretKey: string;
    };
    // Later migrations ran too: no icon or front end yet.
    expect(app).toMatchObject({ name: 'Old shop', secret: 'a'.repeat(32), icon: null, frontend: null });
    expect(isSdkAppId(app.sdkAppId)).toBe(true);
    expect(app.rtcSecretKey).toMatch(RTC_SECRET_KEY_PATTERN);
    const sig = lastLine(await old.beckon('usersig', '--app', String(app.sdkAppId), '--user', 'eve'));
    expect(verifies(app, 'eve', sig)).toBe(true);
    // The keys stay put: a second open does not draw new ones.
    const again = JSON.parse((await old.beckon('app', 'show', 'wx00000000000000aa', '--json')).stdout);
    expect(again).toMatchObject({ sdkAppId: app.sdkAppId, rtcSecretKey: app.rtcSecretKey });
  });
});
