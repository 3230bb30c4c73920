// `npm run bench`: every benchmark, each printing its figures as ratios of a ceiling measured in this run.
import { spawnSync } from 'node:child_process';
import { callsBench } from './calls.bench.js';
import { openApiBench } from './open-api.bench.js';
import { sendBench } from './send.bench.js';

console.log(`# Beckon benchmarks (${new Date().toISOString()}, node ${process.version})\n`);
console.log('## Open API');
await openApiBench();
console.log('\n## Send and inbox push');
await sendBench();
console.log('\n## Calling');
await callsBench();
console.log('\n## Call setup in Chromium');
// In a network namespace holding only lo, as the browser tests: the media cannot take another interface.
const callSetup = spawnSync('sh', ['scripts/in-loopback.sh', process.execPath, 'bench/call-setup.main.js'], {
  stdio: 'inherit',
});
// A section that failed (no namespace, a crash) fails the run, not only its printout.
if (callSetup.status !== 0) process.exitCode = callSetup.status ?? 1;
