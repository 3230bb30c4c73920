import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `demo.json` in the data dir: what the demo set up, so every later start can run its samples. It holds the
 * sample apps' push Token and EncodingAESKey, so it is written with mode 600 (the data dir is git-ignored).
 */
export interface DemoRecord {
  version: 1;
  users: { username: string; password: string }[];
  /** By sample name (`shop`, `game`). */
  apps: Record<string, DemoAppRecord>;
}

export interface DemoAppRecord {
  appid: string;
  /** Private template ids by the name the sample knows them by (`shipped`, `delivered`, …). */
  templates: Record<string, string>;
  /** Message push to the sample (its `/push`), when it wants it. */
  push?: { token: string; encodingAESKey: string };
}

export const demoFile = (dataDir: string) => join(dataDir, 'demo.json');

export function readDemoRecord(dataDir: string): DemoRecord | undefined {
  const file = demoFile(dataDir);
  if (!existsSync(file)) return undefined;
  const record = JSON.parse(readFileSync(file, 'utf8')) as DemoRecord;
  if (record.version !== 1) throw new Error(`${file}: unknown version ${String(record.version)}`);
  return record;
}

/** Written whole (temp file + rename), readable by its owner only. */
export function writeDemoRecord(dataDir: string, record: DemoRecord): void {
  const file = demoFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
