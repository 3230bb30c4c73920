import { resolve } from 'node:path';
import { type IceConfig, iceConfigFromEnv } from './calls/ice.js';

/** Everything the server reads from its environment, resolved once at start. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** Set by BECKON_ADMIN_TOKEN; otherwise generated and kept in the data dir (see `admin-token.ts`). */
  adminToken: string | undefined;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  limits: Limits;
  /** ICE servers handed to calling clients (BECKON_ICE_SERVERS, BECKON_TURN_*; see calls/ice.ts). */
  ice: IceConfig;
  /** The first minute's demo (demo/): wanted unless BECKON_DEMO=0; it also needs loopback and a fresh dir. */
  demo: DemoConfig;
}

export interface DemoConfig {
  enabled: boolean;
  /** Where the sample apps are (BECKON_DEMO_SAMPLES); by default the repository's `examples/`. */
  samplesDir: string | undefined;
}

/** Quotas of spec §1; lowered in tests to make the limit codes reachable. */
export interface Limits {
  /** `GET /cgi-bin/token` calls per app per day (45009). */
  tokenCallsPerDay: number;
  /** `POST /cgi-bin/stable_token` calls per app per day (45009). */
  stableTokenCallsPerDay: number;
  /** `POST /cgi-bin/stable_token` calls per app per minute (45011). */
  stableTokenCallsPerMinute: number;
  /** `jscode2session` calls per user per minute (45011). */
  code2SessionPerUserPerMinute: number;
  /** Failed sign-ins per username (and per client address) before sign-in is refused for the window. */
  failedSignInsPerWindow: number;
  failedSignInWindowMs: number;
}

export const defaultLimits: Limits = {
  tokenCallsPerDay: 10_000,
  stableTokenCallsPerDay: 500_000,
  stableTokenCallsPerMinute: 10_000,
  code2SessionPerUserPerMinute: 100,
  failedSignInsPerWindow: 5,
  failedSignInWindowMs: 15 * 60_000,
};

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.BECKON_PORT ?? 8720);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`BECKON_PORT must be a port number, got ${JSON.stringify(env.BECKON_PORT)}`);
  }
  return {
    host: env.BECKON_HOST || '127.0.0.1',
    port,
    dataDir: resolve(env.BECKON_DATA_DIR || './data'),
    adminToken: env.BECKON_ADMIN_TOKEN || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    limits: { ...defaultLimits },
    ice: iceConfigFromEnv(env),
    demo: {
      enabled: env.BECKON_DEMO !== '0',
      samplesDir: env.BECKON_DEMO_SAMPLES ? resolve(env.BECKON_DEMO_SAMPLES) : undefined,
    },
  };
}
