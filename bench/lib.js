// Shared pieces of the benchmarks: servers in child processes (so the load generator does not share a
// thread with them) and a load run with autocannon. Every figure is printed against a ceiling measured in
// the same run on the same machine.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';

const root = new URL('..', import.meta.url).pathname;

async function waitFor(check, what, ms = 15_000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A bench script in its own process that prints `listening <url>`. */
async function startScript(file, what) {
  const child = spawn(process.execPath, [join(root, file)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const url = await waitFor(() => /listening (\S+)/.exec(out)?.[1], what);
  return { url, pid: child.pid, stop: () => stopChild(child) };
}

/** Fastify's hello world in its own process: the ceiling for an HTTP route on this machine. */
export const startHelloWorld = () => startScript('bench/hello-world.js', 'hello world');

/** A raw `ws` relay in its own process (bench/ws-relay.js): the ceiling for a signal over a WebSocket. */
export const startWsRelay = () => startScript('bench/ws-relay.js', 'ws relay');

/** `beckon start` on a fresh data dir (without the demo), logging at info like a real deployment (to /dev/null). */
export async function startBeckon() {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-bench-'));
  const env = {
    ...process.env,
    BECKON_DATA_DIR: dataDir,
    BECKON_PORT: '0',
    BECKON_HOST: '127.0.0.1',
    BECKON_DEMO: '0',
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
      join(root, 'packages/server/dist/cli.js'),
      'start',
    ],
    {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const serverJson = join(dataDir, 'server.json');
  const { url } = await waitFor(
    () => existsSync(serverJson) && JSON.parse(readFileSync(serverJson, 'utf8')),
    'beckon to start',
  );
  const adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  return {
    url,
    pid: child.pid,
    adminToken,
    async stop() {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

/** Resident memory of a process, in MiB. */
export function rssMiB(pid) {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** Requests per second and latency percentiles for one request shape, after a short warm-up. */
export async function load(options) {
  const base = { connections: 50, pipelining: 1, ...options };
  await autocannon({ ...base, duration: 1 });
  const result = await autocannon({ ...base, duration: Number(process.env.BENCH_SECONDS ?? 5) });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${options.url}: ${bad} failed requests`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

export const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** p50 and p99 of `samples` (nearest rank; with fewer than 100 samples the p99 is the slowest). */
export function percentiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

/** POST `body` as JSON to an admin route of `beckon`; its parsed answer, or an error naming the status. */
export async function adminPost(beckon, path, body) {
  const res = await fetch(`${beckon.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${beckon.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}
