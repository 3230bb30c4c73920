import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Once per browser run: builds the script-tag bundle (packages/client/dist/bundle/trtc-calling.js) that
 * the test server serves at /sdk/trtc-calling.js, so the pages run the SDK's current sources.
 */
export default function buildBundle(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../build.mjs', import.meta.url))], {
    stdio: 'inherit',
  });
}
