// The browser tests (`npm run test:browser`): Chromium driven by Playwright against Beckon in-process, run by
// scripts/in-loopback.sh inside a network namespace holding only `lo` (DEVELOPERS.md says why).
import { defineConfig } from 'vitest/config';
import unit, { jsonReport } from './vitest.config.js';

export default defineConfig({
  // The same aliases: tests run the sources of sibling packages.
  resolve: unit.resolve,
  test: {
    include: ['packages/*/test/**/*.browser.test.ts'],
    globalSetup: [
      'packages/client/test/support/global-setup.ts',
      'packages/web/test/support/global-setup.ts',
    ],
    // A browser starts per file and a call takes a second or two to carry media.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Each file runs its own Chromium: two at a time keep a small CI machine responsive.
    maxWorkers: 2,
    ...jsonReport('browser'),
  },
});
