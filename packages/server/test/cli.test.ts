import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

/**
 * The built `beckon` CLI as a user runs it: against a stopped server (straight to the data dir), against a
 * running one (through its admin API), and the server's own start and graceful stop.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = join(ROOT, 'packages/server/dist/cli.js');
const APPID = /^wx[0-9a-f]{16}$/;
const SECRET = /^[0-9a-f]{32}$/;

const dataDir = mkdtempSync(join(tmpdir(), 'beckon-cli-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  BECKON_DATA_DIR: dataDir,
  BECKON_HOST: '127.0.0.1',
  BECKON_PORT: '0',
  BECKON_LOG_LEVEL: 'info',
};
for (const key of ['BECKON_ADMIN_TOKEN', 'DATABASE_URL', 'REDIS_URL']) delete env[key];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function beckon(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 15_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function beckonJson<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const run = await beckon(...args, '--json');
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}

interface Server {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `beckon start` and resolves once it says where it listens. */
function startServer(): Promise<Server> {
  const child = spawn(process.execPath, [CLI, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk;
      const match = /Beckon is running at (http:\/\/\S+?)\/\n/.exec(out);
      if (match) resolve({ child, url: match[1]!, output: () => out, exited });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`beckon start exited with ${code}:\n${out}`)));
  });
}

/** The server's request log lines (pino JSON on stdout) for `method url`. */
function logged(server: Server, method: string, url: string) {
  return server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { method?: string; url?: string; msg?: string })
    .filter((l) => l.msg === 'request' && l.method === method && l.url === url);
}

/** Waits for something the server writes on its own schedule (a log line). */
async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(check()).toBe(true);
}

async function stop(server: Server): Promise<number | null> {
  server.child.kill('SIGTERM');
  return server.exited;
}

const adminToken = () => readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();

beforeAll(async () => {
  // Incremental: fast when nothing changed. The test runs what `npm run build` ships.
  await promisify(execFile)('npx', ['tsc', '-b', 'packages/server'], { cwd: ROOT }).catch((err) => {
    throw new Error(`build failed:\n${err.stdout}${err.stderr}`);
  });
}, 120_000);

let server: Server | undefined;
afterAll(async () => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('beckon CLI', () => {
  let first: { appid: string; secret: string; name: string };
  let second: { appid: string; secret: string };

  test('app create against a stopped server writes to the data dir', async () => {
    first = await beckonJson('app', 'create', '--name', 'Shop', '--type', 'miniprogram');
    expect(first).toMatchObject({
      appid: expect.stringMatching(APPID),
      secret: expect.stringMatching(SECRET),
    });
    expect(first.name).toBe('Shop');
    expect(existsSync(join(dataDir, 'beckon.db'))).toBe(true);
    expect(existsSync(join(dataDir, 'server.json'))).toBe(false);

    const bad = await beckon('app', 'create', '--name', 'X', '--type', 'webapp');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^beckon: app create needs --type miniprogram\|minigame/);
  });

  test('start listens on a free port (BECKON_PORT=0) and writes server.json', async () => {
    server = await startServer();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).not.toMatch(/:0$/);
    const file = JSON.parse(readFileSync(join(dataDir, 'server.json'), 'utf8'));
    expect(file).toEqual({ url: server.url, pid: server.child.pid });
  });

  test('GET / answers JSON for scripts and HTML for browsers', async () => {
    const json = await fetch(`${server!.url}/`);
    expect(json.status).toBe(200);
    expect(await json.json()).toMatchObject({ status: 'ok' });
    const html = await fetch(`${server!.url}/`, { headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('Beckon is running');
  });

  test('app list and app create go through the running server', async () => {
    const { apps } = { apps: await beckonJson<{ appid: string; secret?: string }[]>('app', 'list') };
    expect(apps.map((a) => a.appid)).toEqual([first.appid]);
    expect(apps[0]).not.toHaveProperty('secret');
    await eventually(() => logged(server!, 'GET', '/admin/apps').length === 1);

    second = await beckonJson('app', 'create', '--name', 'Game', '--type', 'minigame');
    expect(second.appid).toMatch(APPID);
    await eventually(() => logged(server!, 'POST', '/admin/apps').length === 1);
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

    server = await startServer();
    const again = await beckonJson<{ appid: string }[]>('app', 'list');
    expect(again.map((a) => a.appid)).toEqual([first.appid, second.appid]);
    await eventually(() => logged(server!, 'GET', '/admin/apps').length === 1);
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
