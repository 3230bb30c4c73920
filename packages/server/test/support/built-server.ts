import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';

/** The built server and CLI, run as an operator runs them, on a data dir of their own. */

export const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
export const CLI = join(ROOT, 'packages/server/dist/cli.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Server {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Builds what `npm run build` ships; incremental, so fast when nothing changed. */
export async function buildServer(): Promise<void> {
  await promisify(execFile)('npx', ['tsc', '-b', 'packages/server'], { cwd: ROOT }).catch((err) => {
    throw new Error(`build failed:\n${err.stdout}${err.stderr}`);
  });
}

/**
 * A fresh data dir and the environment that points the CLI at it (never at Postgres or Redis), without the
 * demo unless `extraEnv` asks for it (BECKON_DEMO); `extraEnv` values undefined remove a variable.
 */
export function operator(prefix: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BECKON_DATA_DIR: dataDir,
    BECKON_HOST: '127.0.0.1',
    BECKON_PORT: '0',
    BECKON_LOG_LEVEL: 'info',
    BECKON_DEMO: '0',
  };
  for (const key of ['BECKON_ADMIN_TOKEN', 'DATABASE_URL', 'REDIS_URL', 'BECKON_DEMO_SAMPLES'])
    delete env[key];
  for (const [key, value] of Object.entries(extraEnv)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }

  /** `beckon ...args`, to completion. */
  const beckon = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], { env, timeout: 15_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      });
    });

  /** `beckon ...args --json`, which must succeed with nothing on stderr: its output, parsed. */
  const beckonJson = async <T = Record<string, unknown>>(...args: string[]): Promise<T> => {
    const run = await beckon(...args, '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as T;
  };

  /** Runs `beckon start` and resolves once it says where it listens. */
  const startServer = (): Promise<Server> => {
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
  };

  return { dataDir, env, beckon, beckonJson, startServer };
}

/** The server's request log lines (pino JSON on its stdout) for `method url`. */
export function requestLog(server: Server, method: string, url: string) {
  return server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { method?: string; url?: string; msg?: string })
    .filter((l) => l.msg === 'request' && l.method === method && l.url === url);
}

/** Waits for what the server does on its own schedule (a log line, a delivery): polls `check` up to `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check()) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  expect(await check()).toBe(true);
}

/** One HTTP call to a built server; the raw text too, since a send's msgid does not survive JSON.parse. */
export async function call(
  server: Server,
  method: string,
  path: string,
  options: { body?: unknown; bearer?: string } = {},
  // biome-ignore lint/suspicious/noExplicitAny: each caller reads the few fields of its own answer
): Promise<{ status: number; text: string; json: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
}
