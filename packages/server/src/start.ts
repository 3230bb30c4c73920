import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveAdminToken } from './admin-token.js';
import type { Config } from './config.js';
import { demoOffWarning, planDemo, prepareDemo, type RunningDemo, startDemo } from './demo/demo.js';
import { DEMO_USERS } from './demo/samples.js';
import { PushDispatcher } from './events/dispatcher.js';
import { turnBatchedLog } from './http/log-stream.js';
import { openContext } from './runtime.js';
import { buildServer } from './server.js';

/** Written while the server runs, so the CLI can find it and talk to it instead of the database. */
export const serverFile = (dataDir: string) => join(dataDir, 'server.json');

/** `beckon start`: open the store, listen, print where, and shut down gracefully on SIGINT/SIGTERM. */
export async function start(config: Config): Promise<void> {
  // Decided before the store opens: a fresh data dir has no database yet.
  const demoPlan = planDemo(config);
  const ctx = openContext(config);
  const demoRecord = await prepareDemo(ctx, demoPlan).catch((err: Error) => {
    throw new Error(
      demoPlan.mode === 'provision'
        ? `the demo could not be set up (${err.message}); remove ${config.dataDir} and start again, ` +
            'or start with BECKON_DEMO=0'
        : `the demo's record could not be read (${err.message}); start with BECKON_DEMO=0 to go without it`,
    );
  });
  const admin = resolveAdminToken(config.dataDir, config.adminToken);
  const app = await buildServer(ctx, {
    adminToken: admin.token,
    logger: { level: process.env.BECKON_LOG_LEVEL ?? 'info', stream: turnBatchedLog() },
  });
  // Message push: sends the outbox (events/dispatcher.ts); stopped before the store closes under it.
  const dispatcher = new PushDispatcher(ctx, { log: app.log });
  // Calling's deadlines live in the store: sweeping fires them, overdue ones from before a restart at once.
  let stopSweeping = () => {};
  app.addHook('onClose', async () => {
    stopSweeping();
    await dispatcher.stop();
    await ctx.bus.close();
    await ctx.store.close();
  });

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  writeFileSync(serverFile(config.dataDir), `${JSON.stringify({ url, pid: process.pid })}\n`);
  dispatcher.start();
  stopSweeping = app.calls.startSweeping();
  const demo = demoRecord
    ? await startDemo(ctx, {
        record: demoRecord,
        url,
        port,
        print: (line) => process.stdout.write(`${line}\n`),
      })
    : undefined;

  const out = process.stdout;
  out.write(`\nBeckon is running at ${url}/\n`);
  out.write(`  the phone (web app)           ${url}/  (open it in a browser)\n`);
  if (demo) out.write(demoBanner(demo, config.dataDir));
  const warning = demoOffWarning(demoPlan, config.dataDir);
  if (warning) out.write(`\n  ${warning}\n\n`);
  out.write(
    `  open API (WeChat-compatible)  ${url}/cgi-bin/token, ${url}/sns/jscode2session, ${url}/wxaapi/newtmpl/…\n`,
  );
  out.write(`  client API                    ${url}/api/…\n`);
  out.write(`  admin API                     ${url}/admin/…\n`);
  out.write(`  data                          ${config.dataDir}\n`);
  out.write(
    admin.file
      ? `  admin token                   kept in ${admin.file}\n\n`
      : '  admin token                   from BECKON_ADMIN_TOKEN\n\n',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: no new requests, finishing the ones in flight');
    try {
      // The samples first: they may still be calling Beckon as they close.
      await demo?.stop();
      await app.close();
    } finally {
      rmSync(serverFile(config.dataDir), { force: true });
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/** The demo's part of the banner: who to sign in as, the samples, what to try. */
function demoBanner(demo: RunningDemo, dataDir: string): string {
  const row = (label: string, text: string) => `  ${label.padEnd(30)}${text}\n`;
  const signIns = DEMO_USERS.map((u) => `${u.username} / ${u.password}`).join(', ');
  return [
    '\n  Demo (on a fresh data dir bound to loopback; BECKON_DEMO=0 starts without it):\n',
    row('sign in as', `${signIns}  (friends)`),
    ...demo.samples.map(([label, text]) => row(label, text)),
    row(
      'try',
      demo.shopRunning
        ? 'sign in as alice, open Demo Shop, order something: the "order shipped" card arrives in'
        : 'sign in as alice in one window and bob in another',
    ),
    demo.shopRunning ? row('', 'Service Notifications a few seconds later') : '',
    row('apps and templates', `kept in ${join(dataDir, 'demo.json')}`),
    '\n',
  ].join('');
}
