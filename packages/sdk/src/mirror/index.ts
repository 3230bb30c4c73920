export { firstInvalidKeyword, type InvalidKeyword } from '@beckon/protocol';
export { type LedgerSnapshot, MemoryLedgerStore, type MemoryLedgerStoreOptions } from './memory-store.js';
export {
  createLedgerMirror,
  type EventOutcome,
  type LedgerMirror,
  type LedgerMirrorOptions,
  LONG_TERM_ACTIVE,
  type MirrorClient,
  type ReportOutcome,
  type SubscribeResultReport,
} from './mirror.js';
export { RedisLedgerStore, type RedisLedgerStoreOptions } from './redis-store.js';
export type { AcceptOptions, AcceptSource, LedgerEntry, LedgerStore, Reservation } from './store.js';
export { type KeywordRule, ruleOfKey, type TemplateRules, templateRules } from './template-rules.js';
