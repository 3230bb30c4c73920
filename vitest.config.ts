import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests run the sources of sibling packages, not their build output.
    alias: {
      '@beckon/protocol': fileURLToPath(new URL('./packages/protocol/src/index.ts', import.meta.url)),
      '@beckon/sdk': fileURLToPath(new URL('./packages/sdk/src/index.ts', import.meta.url)),
      '@beckon/server': fileURLToPath(new URL('./packages/server/src/index.ts', import.meta.url)),
    },
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
