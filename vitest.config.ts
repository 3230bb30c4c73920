import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run the sources of sibling packages, not their build output.
    alias: [
      { find: /^@beckon\/protocol$/, replacement: src('protocol/src/index.ts') },
      { find: /^@beckon\/protocol\/(calls|frames|errors)$/, replacement: src('protocol/src/$1.ts') },
      { find: /^@beckon\/sdk$/, replacement: src('sdk/src/index.ts') },
      { find: /^@beckon\/server$/, replacement: src('server/src/index.ts') },
      { find: /^@beckon\/client$/, replacement: src('client/src/index.ts') },
    ],
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/*/test/**/*.test.{ts,js}',
    ],
    testTimeout: 20_000,
    // Each file gets its own process: servers, SQLite files and timers never leak between files.
    pool: 'forks',
  },
});
