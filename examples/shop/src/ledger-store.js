import { join } from 'node:path';
import { MemoryLedgerStore, RedisLedgerStore } from '@beckon/sdk';
import { jsonFile } from './json-file.js';

/**
 * The consent-ledger mirror's store: Redis when several processes share it (`redisUrl`, keys under
 * `redisPrefix`); otherwise memory, saved to `<dataDir>/ledger.json` after each change so counts survive a
 * restart. `flush()` waits for the last save; call it, then `store.close()`, when stopping.
 *
 * @param {{ dataDir: string, redisUrl?: string, redisPrefix?: string }} options
 * @returns {Promise<{ store: import('@beckon/sdk').LedgerStore, flush: () => Promise<void> }>}
 */
export async function openLedgerStore({ dataDir, redisUrl, redisPrefix }) {
  if (redisUrl) {
    return {
      store: new RedisLedgerStore({ redis: redisUrl, prefix: redisPrefix }),
      flush: async () => {},
    };
  }
  const file = jsonFile(join(dataDir, 'ledger.json'));
  const saved = await file.read(undefined);
  let pending;
  const store = new MemoryLedgerStore({
    ...(saved ? { restore: saved } : {}),
    // Coalesced: many changes in one tick are one write.
    onChange: () => {
      pending ??= Promise.resolve().then(() => {
        pending = undefined;
        return file.write(store.snapshot());
      });
    },
  });
  const flush = async () => {
    await pending;
    await file.write(store.snapshot());
  };
  return { store, flush };
}
