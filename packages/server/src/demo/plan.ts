import { existsSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { demoFile } from './record.js';

/**
 * What `beckon start` does about the demo, decided before the store opens (a fresh data dir has no database
 * yet): `provision` sets it up (fresh data dir), `run` starts the samples of a data dir set up earlier,
 * `off` is a start without it. Only a loopback bind gets a demo: its users' passwords are printed.
 */
export type DemoPlan =
  | { mode: 'provision' | 'run' }
  | { mode: 'off'; reason: 'disabled' | 'not-loopback' | 'not-fresh'; demoDataDir: boolean };

export function planDemo(config: Config): DemoPlan {
  const demoDataDir = existsSync(demoFile(config.dataDir));
  if (!config.demo.enabled) return { mode: 'off', reason: 'disabled', demoDataDir };
  if (!isLoopbackHost(config.host)) return { mode: 'off', reason: 'not-loopback', demoDataDir };
  if (demoDataDir) return { mode: 'run' };
  if (!existsSync(join(config.dataDir, 'beckon.db'))) return { mode: 'provision' };
  return { mode: 'off', reason: 'not-fresh', demoDataDir };
}

/** `127.0.0.0/8`, `::1` (as any IPv6 spelling, or IPv4-mapped 127.x) and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (!isIPv6(h)) return false;
  // The URL parser writes every IPv6 address one way: [::1], and IPv4-mapped ones as [::ffff:7fxx:xxxx].
  const canonical = new URL(`http://[${h}]/`).hostname;
  return canonical === '[::1]' || canonical.startsWith('[::ffff:7f');
}
