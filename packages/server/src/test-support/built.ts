import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serverRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The newest modification time of the sources the build compiles (tsconfig.json leaves the tests out). */
function newestSource(dir = join(serverRoot, 'src')): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test-support') newest = Math.max(newest, newestSource(path));
    } else if (entry.name.endsWith('.ts') && !/\.(test|conformance)\.ts$/.test(entry.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/**
 * A module of the server's build, for the tests of what only the build can do (the send's writer thread):
 * `await importBuilt<typeof import('../store/sqlite/index.js')>('store/sqlite/index.js')`. A build older
 * than the sources would test old code without saying so: it is refused, naming the fix.
 */
export async function importBuilt<T>(path: string): Promise<T> {
  return (await import(builtFile(path))) as T;
}

/** The file of a module of the server's build (for a child process to run), refused when stale. */
export function builtFile(path: string): string {
  const built = join(serverRoot, 'dist', path);
  const builtAt = statSync(join(serverRoot, 'tsconfig.tsbuildinfo'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (builtAt < newestSource()) {
    throw new Error(
      `the build is missing or older than the sources: run \`npm run build\` (this test runs ${built})`,
    );
  }
  return built;
}
