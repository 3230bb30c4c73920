import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomHex } from './ids.js';

/** Where the generated admin token is kept when BECKON_ADMIN_TOKEN is unset. */
export const adminTokenFile = (dataDir: string) => join(dataDir, 'admin-token');

/** BECKON_ADMIN_TOKEN, or the one kept in the data dir (generated on first use, readable by its owner only). */
export function resolveAdminToken(
  dataDir: string,
  fromEnv: string | undefined,
): { token: string; file?: string } {
  if (fromEnv) return { token: fromEnv };
  const file = adminTokenFile(dataDir);
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), file };
  mkdirSync(dataDir, { recursive: true });
  const token = randomHex(24);
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return { token, file };
}
