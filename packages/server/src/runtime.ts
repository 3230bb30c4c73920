import { join } from 'node:path';
import { MemoryBus } from './bus/memory.js';
import { systemClock } from './clock.js';
import type { Config } from './config.js';
import type { Context } from './context.js';
import { openSqliteStore } from './store/sqlite/index.js';

/** The ports a configuration asks for. Postgres and Redis adapters arrive with a later issue. */
export function openContext(config: Config): Context {
  if (config.databaseUrl) {
    throw new Error('DATABASE_URL is set, but the Postgres store is not built yet; unset it to use SQLite.');
  }
  if (config.redisUrl) {
    throw new Error('REDIS_URL is set, but the Redis bus is not built yet; unset it to use the memory bus.');
  }
  const clock = systemClock;
  return {
    store: openSqliteStore(join(config.dataDir, 'beckon.db')),
    bus: new MemoryBus(clock),
    clock,
    config,
  };
}
