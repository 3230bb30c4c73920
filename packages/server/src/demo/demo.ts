import { join } from 'node:path';
import { getApp, updateApp } from '../apps/service.js';
import type { Context } from '../context.js';
import { setPushConfig } from '../events/config.js';
import type { DemoPlan } from './plan.js';
import { findSamplesDir, type RunningSample, sampleDir, startSample } from './processes.js';
import { provisionDemo } from './provision.js';
import { type DemoRecord, demoFile, readDemoRecord } from './record.js';
import { SAMPLE_APPS, type SampleApp } from './samples.js';

export { type DemoPlan, isLoopbackHost, planDemo } from './plan.js';

/**
 * The first minute (issue 12 §7): on a fresh data dir bound to loopback, `beckon start` sets up two users
 * and the sample apps (provision.ts); on every start of such a data dir it runs the samples in `examples/`
 * as its children, beside its own port, and points each app's front end at where its sample listens.
 */

export interface RunningDemo {
  record: DemoRecord;
  /** For the banner: each sample and where it runs, or why it does not ([label, text]). */
  samples: [string, string][];
  /** Whether the shop runs: the banner's "try" line names it. */
  shopRunning: boolean;
  /** Stops the samples (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/** Before the server listens: sets the demo up when the plan says so (a fresh data dir). */
export async function prepareDemo(ctx: Context, plan: DemoPlan): Promise<DemoRecord | undefined> {
  if (plan.mode === 'off') return undefined;
  if (plan.mode === 'provision') return provisionDemo(ctx);
  return readDemoRecord(ctx.config.dataDir);
}

export interface DemoStart {
  record: DemoRecord;
  /** Beckon's URL (the samples' BECKON_URL) and the port it got. */
  url: string;
  port: number;
  /** Where a sample's output goes, a line at a time. */
  print: (line: string) => void;
}

/** Once the server listens: starts the samples and registers their front ends. */
export async function startDemo(ctx: Context, { record, url, port, print }: DemoStart): Promise<RunningDemo> {
  const running: RunningSample[] = [];
  let shopRunning = false;
  const lines: [string, string][] = [];
  const samplesDir = findSamplesDir(ctx.config.demo.samplesDir);
  if (!samplesDir)
    lines.push(['samples', 'demo samples not found (no examples/ beside this server): not started']);
  // Every front end from an earlier start goes first: a sample may now listen where another one did, and
  // an origin is one app's (a sample that does not start has none this time).
  for (const sample of SAMPLE_APPS) {
    const appRecord = record.apps[sample.name];
    if (appRecord) await forgetFrontEnd(ctx, appRecord.appid);
  }
  for (const [index, sample] of SAMPLE_APPS.entries()) {
    const appRecord = record.apps[sample.name];
    if (!appRecord) continue;
    const dir = samplesDir && sampleDir(samplesDir, sample.name);
    if (!dir) {
      if (samplesDir)
        lines.push([sample.appName, `demo sample not found (examples/${sample.name}): not started`]);
      continue;
    }
    try {
      const started = await runSample(ctx, {
        sample,
        appRecord,
        dir,
        beckonUrl: url,
        // Beside Beckon's port (8721, 8722 for 8720), or free ports when Beckon took a free one.
        port: port === 0 || ctx.config.port === 0 || port + 1 + index > 65535 ? 0 : port + 1 + index,
        print: (line) => print(`[${sample.name}] ${line}`),
      });
      running.push(started.sample);
      if (sample.name === 'shop') shopRunning = true;
      lines.push([sample.appName, `${started.sample.url}/  (${sample.type})${started.note}`]);
    } catch (err) {
      lines.push([sample.appName, `did not start: ${(err as Error).message}`]);
    }
  }
  return {
    record,
    samples: lines,
    shopRunning,
    stop: async () => {
      await Promise.all(running.map((s) => s.stop()));
    },
  };
}

interface SampleRun {
  sample: SampleApp;
  appRecord: DemoRecord['apps'][string];
  dir: string;
  beckonUrl: string;
  port: number;
  print: (line: string) => void;
}

/** One sample: started (on a free port if its own is taken), its front end and message push registered. */
async function runSample(
  ctx: Context,
  { sample, appRecord, dir, beckonUrl, port, print }: SampleRun,
): Promise<{ sample: RunningSample; note: string }> {
  // The secret from the store, not from demo.json: `beckon app reset-secret` may have changed it.
  const app = await getApp(ctx, appRecord.appid);
  const env: NodeJS.ProcessEnv = {
    ...sampleEnvironment(process.env),
    BECKON_URL: beckonUrl,
    APP_ID: app.appid,
    APP_SECRET: app.secret,
    HOST: '127.0.0.1',
    DATA_DIR: join(ctx.config.dataDir, 'demo', sample.name),
    ...Object.fromEntries(sample.templates.map((t) => [t.env, appRecord.templates[t.name]])),
    ...(appRecord.push
      ? { PUSH_TOKEN: appRecord.push.token, PUSH_AES_KEY: appRecord.push.encodingAESKey }
      : {}),
  };
  const start = (p: number) =>
    startSample({ dir, entry: sample.entry, env: { ...env, PORT: String(p) }, onLine: print });
  let running: RunningSample;
  try {
    running = await start(port);
  } catch (err) {
    if (port === 0 || !/EADDRINUSE/.test((err as Error).message)) throw err;
    running = await start(0);
  }
  try {
    await updateApp(ctx, app.appid, {
      frontend: new URL(sample.frontendPath, `${running.url}/`).href,
      icon: new URL(sample.iconPath, `${running.url}/`).href,
    });
  } catch (err) {
    await running.stop();
    throw err;
  }
  let note = '';
  if (appRecord.push) {
    // Every start: the sample's port may have changed. Beckon checks the URL first (the sample answers).
    try {
      await setPushConfig(ctx, app.appid, {
        url: `${running.url}/push`,
        token: appRecord.push.token,
        encodingAESKey: appRecord.push.encodingAESKey,
        format: 'json',
        mode: 'secure',
      });
    } catch (err) {
      note = `, message push not set: ${(err as Error).message}`;
    }
  }
  return { sample: running, note };
}

/**
 * A sample that does not run has no front end this time: the phone would list it and open nothing (its
 * address is from an earlier start). Cards keep the app's name; the icon goes with the sample.
 */
async function forgetFrontEnd(ctx: Context, appid: string): Promise<void> {
  // Nothing to undo when it fails (the app is gone): the start goes on.
  await updateApp(ctx, appid, { frontend: null, icon: null }).catch(() => {});
}

/** Beckon's own settings are not the sample's business (its admin token above all). */
function sampleEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env))
    if (!/^(BECKON_|DATABASE_URL$|REDIS_URL$|PORT$|HOST$|APP_|PUSH_|DATA_DIR$)/.test(key)) out[key] = value;
  return out;
}

/** The banner's lines for a data dir that holds the demo while this start does not run it. */
export function demoOffWarning(plan: DemoPlan, dataDir: string): string | undefined {
  if (plan.mode !== 'off' || !plan.demoDataDir || plan.reason !== 'not-loopback') return undefined;
  return (
    `warning: this data dir holds the demo (${demoFile(dataDir)}), whose users' passwords are in the ` +
    'READMEs; on a non-loopback address the demo is off, but those users can still sign in'
  );
}
