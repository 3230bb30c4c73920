import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AppView, InboxPage } from '@beckon/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildServer, call, eventually, operator, ROOT, type Server } from './support/built-server.js';

/**
 * The first minute as `npm start` gives it: the built server on a fresh data dir bound to loopback sets the
 * demo up once, runs the samples of examples/ beside it, and they end with it however it ends. Without the
 * demo nothing of it exists.
 */

const run = promisify(execFile);

/** The environment a process was started with (Linux: /proc). */
function environmentOf(pid: number): Record<string, string> {
  const raw = readFileSync(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(
    raw
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

/** A process's state letter and parent, from /proc (no `ps` needed), or undefined once it is gone. */
function processStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last ')'.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** The pids of the process's children. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && processStat(Number(entry))?.ppid === pid)
    .map(Number);
}

/** Running: a zombie (exited, not yet reaped by whoever adopted it) counts as gone. */
const alive = (pid: number) => {
  const stat = processStat(pid);
  return stat !== undefined && stat.state !== 'Z';
};

/** The banner's row for `label` (`  Demo Shop      http://…/  (miniprogram)`), once it is printed. */
async function bannerRow(server: Server, label: string): Promise<string> {
  await eventually(() => server.output().includes('apps and templates'));
  const row = server
    .output()
    .split('\n')
    .find((l) => l.startsWith(`  ${label} `));
  if (!row) throw new Error(`no banner row ${label}:\n${server.output()}`);
  return row.slice(label.length + 2).trim();
}
const urlIn = (row: string) => /^(http:\/\/\S+?)\/ /.exec(row)?.[1];

const demoEnv = { BECKON_DEMO: undefined, SHIP_AFTER_MS: '100', DELIVER_AFTER_MS: '100' };
const servers: Server[] = [];
const dataDirs: string[] = [];

beforeAll(async () => {
  await buildServer();
  // The shop runs on the built SDK.
  await run('npx', ['tsc', '-b', 'packages/sdk'], { cwd: ROOT });
}, 120_000);
afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
});

function world(extraEnv: NodeJS.ProcessEnv) {
  const op = operator('beckon-demo-', extraEnv);
  dataDirs.push(op.dataDir);
  const start = async () => {
    const server = await op.startServer();
    servers.push(server);
    return server;
  };
  const admin = () => readFileSync(join(op.dataDir, 'admin-token'), 'utf8').trim();
  const apps = async (server: Server) =>
    (await call(server, 'GET', '/admin/apps', { bearer: admin() })).json.apps as AppView[];
  const signIn = async (server: Server, username: string, password: string) =>
    call(server, 'POST', '/api/sessions', { body: { username, password } });
  return { ...op, start, admin, apps, signIn };
}

describe('the demo on a fresh data dir bound to loopback', () => {
  const w = world(demoEnv);
  let first: Server;
  let shopUrl: string;
  let shop: AppView;

  test('the first start sets it up: users, apps, templates, pages, message push, and runs the samples', async () => {
    first = await w.start();
    expect(await bannerRow(first, 'sign in as')).toBe('alice / alice-demo, bob / bob-demo  (friends)');
    // The phone's URL first, then the demo.
    expect(first.output()).toMatch(
      /Beckon is running at (http:\/\/127\.0\.0\.1:\d+)\/\n {2}the phone \(web app\) +\1\/ .*\n\n {2}Demo /,
    );
    shopUrl = urlIn(await bannerRow(first, 'Demo Shop'))!;
    expect(shopUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await bannerRow(first, 'try')).toContain('sign in as alice, open Demo Shop, order something');
    expect(statSync(join(w.dataDir, 'demo.json')).mode & 0o777).toBe(0o600);

    for (const [username, password] of [
      ['alice', 'alice-demo'],
      ['bob', 'bob-demo'],
    ] as const)
      expect((await w.signIn(first, username, password)).status).toBe(201);

    const apps = await w.apps(first);
    expect(apps.map((a) => [a.name, a.type]).sort()).toEqual([
      ['Demo Shop', 'miniprogram'],
      ['Star Hopper', 'minigame'],
    ]);
    shop = apps.find((a) => a.name === 'Demo Shop')!;
    expect(shop.pages).toEqual(['pages/index/index', 'pages/order/order', 'pages/order/detail']);
    const push = await call(first, 'GET', `/admin/apps/${shop.appid}/push`, { bearer: w.admin() });
    expect(push.json).toMatchObject({
      enabled: true,
      url: `${shopUrl}/push`,
      mode: 'secure',
      format: 'json',
    });

    // Each app's front end and icon are where its sample listens; the pages load wx from this Beckon.
    const gameUrl = urlIn(await bannerRow(first, 'Star Hopper'))!;
    const game = apps.find((a) => a.name === 'Star Hopper')!;
    expect([shop.frontend, shop.icon]).toEqual([`${shopUrl}/`, `${shopUrl}/icon.svg`]);
    expect([game.frontend, game.icon]).toEqual([`${gameUrl}/`, `${gameUrl}/icon.svg`]);
    expect(await (await fetch(`${shopUrl}/pages/index/index`)).text()).toContain(
      `<script src="${first.url}/sdk/wx.js"></script>`,
    );
    expect(await (await fetch(`${gameUrl}/`)).text()).toContain(`${first.url}/sdk/wx.js`);
    for (const icon of [shop.icon!, game.icon!])
      expect((await fetch(icon)).headers.get('content-type')).toBe('image/svg+xml');

    // alice and bob are friends, both ways.
    const session = (await w.signIn(first, 'bob', 'bob-demo')).json.token as string;
    const friends = await call(first, 'GET', '/api/friends', { bearer: session });
    expect(friends.json.friends.map((f: { username: string }) => f.username)).toEqual(['alice']);

    // Each sample got its app, its templates and Beckon's URL; never Beckon's own settings.
    const record = JSON.parse(readFileSync(join(w.dataDir, 'demo.json'), 'utf8'));
    const envs = childrenOf(first.child.pid!).map(environmentOf);
    const shopEnv = envs.find((e) => e.APP_ID === shop.appid)!;
    const gameEnv = envs.find((e) => e.APP_ID === game.appid)!;
    expect(shopEnv).toMatchObject({
      BECKON_URL: first.url,
      APP_SECRET: expect.stringMatching(/^[0-9a-f]{32}$/),
      SHIPPED_TEMPLATE_ID: record.apps.shop.templates.shipped,
      DELIVERED_TEMPLATE_ID: record.apps.shop.templates.delivered,
      REMINDER_TEMPLATE_ID: record.apps.shop.templates.reminder,
      PUSH_TOKEN: record.apps.shop.push.token,
      PUSH_AES_KEY: record.apps.shop.push.encodingAESKey,
      HOST: '127.0.0.1',
      DATA_DIR: join(w.dataDir, 'demo', 'shop'),
    });
    expect(gameEnv).toMatchObject({
      BECKON_URL: first.url,
      STAMINA_TEMPLATE_ID: record.apps.game.templates.stamina,
      DATA_DIR: join(w.dataDir, 'demo', 'game'),
    });
    for (const env of [shopEnv, gameEnv])
      expect(Object.keys(env).filter((k) => k.startsWith('BECKON_') && k !== 'BECKON_URL')).toEqual([]);
  });

  test('the first minute over HTTP: alice allows both cards, orders, and both cards arrive', async () => {
    const session = (await w.signIn(first, 'alice', 'alice-demo')).json.token as string;
    const { code } = (await call(first, 'POST', `/api/apps/${shop.appid}/login`, { bearer: session })).json;
    const shopCall = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(shopUrl + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
      });
      return (await res.json()) as Record<string, unknown>;
    };
    const { openid } = await shopCall('POST', '/login', { code });
    const { templates } = (await shopCall('GET', '/catalogue')) as { templates: Record<string, string> };
    const tmplIds = [templates.shipped, templates.delivered];
    const answer = await call(first, 'POST', `/api/apps/${shop.appid}/subscriptions`, {
      bearer: session,
      body: { tmplIds, accepted: tmplIds },
    });
    expect(answer.status).toBe(200);
    await shopCall('POST', '/subscriptions/report', { openid, result: answer.json });
    const { order } = (await shopCall('POST', '/orders', { openid, itemId: 'earbuds' })) as {
      order: { id: string };
    };
    const inbox = async () => (await call(first, 'GET', '/api/inbox', { bearer: session })).json as InboxPage;
    await eventually(async () => (await inbox()).cards.length === 2);
    expect((await inbox()).cards.map((c) => [c.title, c.page])).toEqual([
      ['签收成功通知', `pages/order/detail?id=${order.id}`],
      ['订单发货提醒', `pages/order/detail?id=${order.id}`],
    ]);
  });

  test('SIGTERM stops the samples with the server', async () => {
    const children = childrenOf(first.child.pid!);
    expect(children).toHaveLength(2);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    for (const pid of children) expect(alive(pid), `sample ${pid}`).toBe(false);
  });

  test('a restart sets nothing up again and runs the samples again, with what they kept', async () => {
    const record = readFileSync(join(w.dataDir, 'demo.json'), 'utf8');
    const again = await w.start();
    await bannerRow(again, 'Demo Shop');
    expect(readFileSync(join(w.dataDir, 'demo.json'), 'utf8')).toBe(record);
    const apps = await w.apps(again);
    expect(apps).toHaveLength(2);
    expect(apps.find((a) => a.appid === shop.appid)?.pages).toEqual(shop.pages);
    // Still two users: signing up as alice is refused, her password still works.
    const taken = await call(again, 'POST', '/api/accounts', {
      body: { username: 'alice', password: 'something-else' },
    });
    expect(taken.status).toBe(409);
    expect((await w.signIn(again, 'alice', 'alice-demo')).status).toBe(201);
    // The templates were added once.
    const { secret } = (await call(again, 'GET', `/admin/apps/${shop.appid}`, { bearer: w.admin() })).json;
    const token = (
      await call(
        again,
        'GET',
        `/cgi-bin/token?grant_type=client_credential&appid=${shop.appid}&secret=${secret}`,
      )
    ).json.access_token;
    const list = await call(again, 'GET', `/wxaapi/newtmpl/gettemplate?access_token=${token}`);
    expect(list.json.data).toHaveLength(3);
    // Friends once (a second friendship would be a second row).
    const bob = (await w.signIn(again, 'bob', 'bob-demo')).json.token as string;
    expect((await call(again, 'GET', '/api/friends', { bearer: bob })).json.friends).toHaveLength(1);
    // The shop kept its orders in the data dir.
    const newShopUrl = urlIn(await bannerRow(again, 'Demo Shop'))!;
    const orders = JSON.parse(readFileSync(join(w.dataDir, 'demo/shop/orders.json'), 'utf8')).orders;
    expect(orders).toHaveLength(1);
    expect((await fetch(`${newShopUrl}/pages/order/detail`)).status).toBe(200);

    // Killed outright, the server takes its samples with it.
    const children = childrenOf(again.child.pid!);
    expect(children).toHaveLength(2);
    again.child.kill('SIGKILL');
    await again.exited;
    await eventually(() => children.every((pid) => !alive(pid)), 10_000);
  });

  test('later starts without the samples, or with BECKON_DEMO=0, run none and forget their front ends', async () => {
    w.env.BECKON_DEMO_SAMPLES = join(tmpdir(), 'beckon-no-samples');
    const without = await w.start();
    expect(await bannerRow(without, 'samples')).toBe(
      'demo samples not found (no examples/ beside this server): not started',
    );
    // The phone would list an app whose sample is not there, and open nothing.
    expect((await w.apps(without)).map((a) => [a.frontend, a.icon])).toEqual([
      [null, null],
      [null, null],
    ]);
    expect(childrenOf(without.child.pid!)).toEqual([]);
    without.child.kill('SIGTERM');
    expect(await without.exited).toBe(0);

    w.env.BECKON_DEMO = '0';
    const off = await w.start();
    await eventually(() => off.output().includes('admin token'));
    expect(off.output()).not.toContain('alice-demo');
    expect(childrenOf(off.child.pid!)).toEqual([]);
    off.child.kill('SIGTERM');
    expect(await off.exited).toBe(0);
  });
});

describe('no demo', () => {
  test('BECKON_DEMO=0: no users, no apps, no samples, no sign-ins in the banner', async () => {
    const w = world({ BECKON_DEMO: '0' });
    const server = await w.start();
    await eventually(() => server.output().includes('admin token'));
    expect(server.output()).not.toContain('alice');
    expect(server.output()).not.toContain('Demo');
    expect(await w.apps(server)).toEqual([]);
    expect((await w.signIn(server, 'alice', 'alice-demo')).status).toBe(401);
    expect(childrenOf(server.child.pid!)).toEqual([]);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    // Nor later: the data dir now has a database, so it is not fresh.
    w.env.BECKON_DEMO = '1';
    const later = await w.start();
    await eventually(() => later.output().includes('admin token'));
    expect(later.output()).not.toContain('alice');
    expect(await w.apps(later)).toEqual([]);
    later.child.kill('SIGTERM');
    await later.exited;
  });

  test('without the samples the demo is set up, and the banner says they were not found', async () => {
    const w = world({ BECKON_DEMO: undefined, BECKON_DEMO_SAMPLES: join(tmpdir(), 'beckon-no-samples') });
    const server = await w.start();
    expect(await bannerRow(server, 'samples')).toBe(
      'demo samples not found (no examples/ beside this server): not started',
    );
    expect(await bannerRow(server, 'try')).toBe('sign in as alice in one window and bob in another');
    expect((await w.signIn(server, 'bob', 'bob-demo')).status).toBe(201);
    expect(await w.apps(server)).toHaveLength(2);
    expect(childrenOf(server.child.pid!)).toEqual([]);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
