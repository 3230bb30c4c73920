import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = (path: string) => fileURLToPath(new URL(`../../../../node_modules/${path}`, import.meta.url));

/**
 * Once per browser run: builds the phone from its current sources (and first @beckon/client's modules,
 * which it imports from their build), so the test server serves what the tests are about.
 */
export default function buildPhone(): void {
  const run = (args: string[], cwd = root) => execFileSync(process.execPath, args, { cwd, stdio: 'inherit' });
  run([bin('typescript/bin/tsc'), '-b', 'packages/client']);
  run([bin('vite/bin/vite.js'), 'build', '--logLevel', 'warn'], `${root}packages/web`);
}
