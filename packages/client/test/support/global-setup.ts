import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const client = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/**
 * Once per browser run: builds the script-tag bundle (packages/client/dist/trtc-calling.js) that the test
 * server serves at /sdk/trtc-calling.js, so the pages run the SDK's current sources.
 */
export default function buildBundle(): void {
  // Until the SDK's sources exist there is nothing to bundle (tests of plain WebRTC need none).
  if (!existsSync(client('src/global.ts'))) return;
  execFileSync(process.execPath, [client('build.mjs')], { stdio: 'inherit' });
}
