import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The file's JSON, or `fallback` when there is no file yet. */
export async function readJson(path, fallback) {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    if (err.code === 'ENOENT') return fallback;
    throw new Error(`${path}: ${err.message}`);
  }
}

/**
 * Replaces the file atomically: the new content goes to a temp file beside it, which is then renamed over
 * it, so a crash leaves the old file or the new one, never half of one. Writes are queued per file.
 */
export function jsonFile(path) {
  let queue = Promise.resolve();
  let n = 0;
  return {
    read: (fallback) => readJson(path, fallback),
    write(value) {
      const text = `${JSON.stringify(value, null, 2)}\n`;
      const run = async () => {
        await mkdir(dirname(path), { recursive: true });
        const tmp = `${path}.${process.pid}.${n++}.tmp`;
        await writeFile(tmp, text, { flush: true });
        await rename(tmp, path);
      };
      queue = queue.then(run, run);
      return queue;
    },
  };
}
