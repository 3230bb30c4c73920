import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How a sample says where it listens, on a line of its stdout. */
const LISTENING = /listening at (https?:\/\/\S+)/;
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

const ORPHAN_GUARD = fileURLToPath(new URL('./orphan-guard.js', import.meta.url));

/**
 * The repository's `examples/`, found from this file (packages/server/{src,dist}/demo/), or the folder
 * BECKON_DEMO_SAMPLES names; undefined when it is not there (an installed server has no examples).
 */
export function findSamplesDir(configured: string | undefined): string | undefined {
  const dir = configured ?? fileURLToPath(new URL('../../../../examples/', import.meta.url));
  return existsSync(dir) ? dir : undefined;
}

/** The sample's folder, if it is there and is ours (its package.json names it `beckon-example-<name>`). */
export function sampleDir(samplesDir: string, name: string): string | undefined {
  const dir = join(samplesDir, name);
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
    return pkg.name === `beckon-example-${name}` ? dir : undefined;
  } catch {
    return undefined;
  }
}

export interface RunningSample {
  /** Where it listens (`http://127.0.0.1:8721`), as it said. */
  url: string;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

export interface SampleStart {
  dir: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  /** Each line it writes (stdout and stderr), for Beckon's own output. */
  onLine: (line: string) => void;
}

/**
 * Starts `node <entry>` in the sample's folder as a child of this process (with the orphan guard and an IPC
 * channel, so it ends when Beckon does) and resolves once it says where it listens. Rejects with its last
 * words when it exits first or says nothing for 15 s (and then stops it).
 */
export function startSample({ dir, entry, env, onLine }: SampleStart): Promise<RunningSample> {
  const child = spawn(process.execPath, ['--import', ORPHAN_GUARD, entry], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // The channel is the guard's, not a reason to keep Beckon running.
  child.channel?.unref();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping = false;
  const stop = async () => {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
  };
  const last: string[] = [];
  return new Promise((resolve, reject) => {
    let url: string | undefined;
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`${why}${last.length ? `: ${last.join(' | ')}` : ''}`));
    };
    const timer = setTimeout(() => fail('it did not say where it listens within 15 s'), START_TIMEOUT_MS);
    const read = (stream: NodeJS.ReadableStream) => {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          onLine(line);
          last.push(line.trim());
          if (last.length > 3) last.shift();
          const match = url === undefined ? LISTENING.exec(line) : null;
          if (match) {
            url = match[1]!.replace(/\/+$/, '');
            clearTimeout(timer);
            resolve({ url, child, stop });
          }
        }
      });
    };
    read(child.stdout!);
    read(child.stderr!);
    child.once('error', (err) => fail(err.message));
    // 'close' comes after its last output was read, so the reason is in `last`.
    child.once('close', (code, signal) => {
      if (url === undefined) fail(`it exited (${signal ?? `code ${code}`})`);
      else if (!stopping) onLine(`exited (${signal ?? `code ${code}`}); Beckon runs on without it`);
    });
  });
}
