import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, test } from 'vitest';

const entry = (name: string) => fileURLToPath(new URL(`./${name}.ts`, import.meta.url));

/** esbuild, aimed at a browser, refuses `node:` imports: what it bundles, a browser can load. */
const bundleForBrowser = (name: string) =>
  build({ entryPoints: [entry(name)], bundle: true, write: false, platform: 'browser', logLevel: 'silent' });

test('the main entry and the browser subpaths import nothing of Node', async () => {
  for (const name of ['index', 'calls', 'frames', 'errors']) {
    await expect(bundleForBrowser(name), name).resolves.toMatchObject({ errors: [] });
  }
});

test('the node subpath does need Node (so the check above can fail)', async () => {
  await expect(bundleForBrowser('node')).rejects.toThrow(/node:crypto|node:zlib/);
});
