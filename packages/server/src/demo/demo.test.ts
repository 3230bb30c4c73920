import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createApp, getApp, updateApp } from '../apps/service.js';
import { importBuilt } from '../test-support/built.js';
import { testContext } from '../test-support/harness.js';
import type { DemoRecord } from './record.js';

// startDemo runs the samples with the build's orphan guard: the built module, on this test's context.
const { startDemo } = await importBuilt<typeof import('./demo.js')>('demo/demo.js');

const samples = mkdtempSync(join(tmpdir(), 'beckon-demo-samples-'));
afterAll(() => rmSync(samples, { recursive: true, force: true }));

/** A sample that listens on $PORT and says so, as examples/shop and examples/game do. */
for (const name of ['shop', 'game']) {
  mkdirSync(join(samples, name, 'src'), { recursive: true });
  writeFileSync(join(samples, name, 'package.json'), JSON.stringify({ name: `beckon-example-${name}` }));
  writeFileSync(
    join(samples, name, 'src', 'main.js'),
    `const server = require('node:http').createServer((_, res) => res.end('${name}'));
     server.listen(Number(process.env.PORT), '127.0.0.1', () =>
       console.log('listening at http://127.0.0.1:' + server.address().port));`,
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('a start where the shop listens where the game did: each sample gets its front end', async () => {
  const ctx = testContext();
  (ctx.config.demo as { samplesDir?: string }).samplesDir = samples;
  const shop = await createApp(ctx, { name: 'Demo Shop', type: 'miniprogram', owner: 'demo' });
  const game = await createApp(ctx, { name: 'Star Hopper', type: 'minigame', owner: 'demo' });
  // The earlier start left the game where this start puts the shop (Beckon's port + 1).
  const port = await freePort();
  (ctx.config as { port: number }).port = port - 1;
  await updateApp(ctx, game.appid, { frontend: `http://127.0.0.1:${port}/` });
  const record: DemoRecord = {
    version: 1,
    users: [],
    apps: { shop: { appid: shop.appid, templates: {} }, game: { appid: game.appid, templates: {} } },
  };
  const demo = await startDemo(ctx, { record, url: 'http://127.0.0.1:9', port: port - 1, print: () => {} });
  try {
    expect(demo.samples.map(([label, text]) => [label, text.split('/  ')[0]])).toEqual([
      ['Demo Shop', `http://127.0.0.1:${port}`],
      ['Star Hopper', expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/)],
    ]);
    expect((await getApp(ctx, shop.appid)).frontend).toBe(`http://127.0.0.1:${port}/`);
    const gameFrontend = (await getApp(ctx, game.appid)).frontend;
    expect(gameFrontend).toBe(`${demo.samples[1]![1].split('/  ')[0]}/`);
    expect(await (await fetch(gameFrontend!)).text()).toBe('game');
  } finally {
    await demo.stop();
    await ctx.store.close();
  }
});
