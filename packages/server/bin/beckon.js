#!/usr/bin/env node
// The `beckon` command. This file is committed so that npm links it at install time, before `prepare`
// has built dist/ (npm skips a bin whose file does not exist yet, and `npx beckon` would then fail).
try {
  await import('../dist/cli.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli.js')) throw err;
  console.error('beckon: the server is not built yet; run `npm run build` in the repository first');
  process.exit(1);
}
