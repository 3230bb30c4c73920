import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

/**
 * `@beckon/client/<entry>` for each entry of the client's package.json exports: its build file
 * `./dist/<x>.js` read from `src/<x>.ts` (the script-tag bundle, `./dist/bundle/`, has no source of its own).
 */
function clientEntries() {
  const exports: Record<string, string | { default: string }> = JSON.parse(
    readFileSync(src('client/package.json'), 'utf8'),
  ).exports;
  return Object.entries(exports).flatMap(([subpath, target]) => {
    const file = typeof target === 'string' ? target : target.default;
    const source = /^\.\/dist\/(?!bundle\/)(.+)\.js$/.exec(file)?.[1];
    if (subpath === '.' || !source) return [];
    const find = new RegExp(`^@beckon/client/${subpath.slice(2)}$`);
    return [{ find, replacement: src(`client/src/${source}.ts`) }];
  });
}

/**
 * With BECKON_TEST_RESULTS set to a directory (as .ci/run does), each run also writes its results as JSON
 * there (`<name>.json`): `npm test` makes two runs, this one and the browser one.
 */
export function jsonReport(name: string) {
  const dir = process.env.BECKON_TEST_RESULTS;
  return dir ? { reporters: ['default', 'json'], outputFile: { json: `${dir}/${name}.json` } } : {};
}

export default defineConfig({
  resolve: {
    // Tests run the sources of sibling packages, not their build output.
    alias: [
      { find: /^@beckon\/protocol$/, replacement: src('protocol/src/index.ts') },
      { find: /^@beckon\/protocol\/([a-z-]+)$/, replacement: src('protocol/src/$1.ts') },
      { find: /^@beckon\/sdk$/, replacement: src('sdk/src/index.ts') },
      { find: /^@beckon\/server$/, replacement: src('server/src/index.ts') },
      { find: /^@beckon\/client$/, replacement: src('client/src/index.ts') },
      ...clientEntries(),
    ],
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/*/test/**/*.test.{ts,js}',
    ],
    // Those need Chromium in a loopback-only network namespace: vitest.browser.config.ts.
    exclude: [...configDefaults.exclude, '**/*.browser.test.ts'],
    testTimeout: 20_000,
    // Each file gets its own process: servers, SQLite files and timers never leak between files.
    pool: 'forks',
    ...jsonReport('unit'),
  },
});
