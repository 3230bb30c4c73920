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

/** A section run in a network namespace holding only lo, as the browser tests (media cannot leave it). */
function inLoopback(title, script) {
  console.log(`\n## ${title}`);
  const run = spawnSync('sh', ['scripts/in-loopback.sh', process.execPath, script], { stdio: 'inherit' });
  // A section that failed (no namespace, a crash) fails the run, not only its printout.
  if (run.status !== 0) process.exitCode = run.status ?? 1;
}
inLoopback('Call setup in Chromium', 'bench/call-setup.main.js');
inLoopback('The phone in Chromium', 'bench/phone.main.js');
