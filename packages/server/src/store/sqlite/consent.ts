import type Database from 'better-sqlite3';
import type { ConsentStore } from '../port.js';

// Being written (consent ledger helper): replaced by the real adapter in the same change.
export class SqliteConsent implements ConsentStore {
  constructor(readonly db: Database.Database) {}
  grants(): never {
    throw new Error('consent store: not built yet');
  }
  mainSwitch(): never {
    throw new Error('consent store: not built yet');
  }
  recordDecisions(): never {
    throw new Error('consent store: not built yet');
  }
  setTemplate(): never {
    throw new Error('consent store: not built yet');
  }
  setMainSwitch(): never {
    throw new Error('consent store: not built yet');
  }
  changes(): never {
    throw new Error('consent store: not built yet');
  }
}
