import type { AccountStore } from './ports/accounts.js';
import type { AppStore, TokenStore } from './ports/apps.js';
import type { CallStore } from './ports/calls.js';
import type { ConsentStore } from './ports/consent.js';
import type { FriendStore } from './ports/friends.js';
import type { GameStore } from './ports/games.js';
import type { MessageStore } from './ports/messages.js';
import type { PushStore } from './ports/push.js';
import type { TemplateStore } from './ports/templates.js';

export type * from './ports/accounts.js';
export type * from './ports/apps.js';
export type * from './ports/calls.js';
export type * from './ports/consent.js';
export type * from './ports/friends.js';
export type * from './ports/games.js';
export type * from './ports/messages.js';
export type * from './ports/push.js';
export type * from './ports/templates.js';

/**
 * The durable truth of the platform, one async port per domain module. Every method is one transaction:
 * a module never needs to hold a transaction open across awaits. Adapters: SQLite (embedded default) and,
 * in a later issue, Postgres; `store.conformance.ts` is the contract both must pass.
 */
export interface Store {
  readonly apps: AppStore;
  readonly tokens: TokenStore;
  readonly accounts: AccountStore;
  /** Friendships between platform users (mutual). */
  readonly friends: FriendStore;
  readonly templates: TemplateStore;
  readonly consent: ConsentStore;
  readonly messages: MessageStore;
  /** Message push: configurations and the outbox the consent and send transactions write to. */
  readonly push: PushStore;
  /** Calling: calls and their records, invitations with server-enforced deadlines, per-app options. */
  readonly calls: CallStore;
  /** Mini games: system message subscriptions and cards, game updates, cloud storage, interactive values. */
  readonly games: GameStore;
  /** Instance-wide values that must survive restarts (e.g. the secret that openids are derived with). */
  readonly settings: SettingStore;
  close(): Promise<void>;
}

export interface SettingStore {
  /** The value of `key`, setting it to `initial` first if it has none. Concurrent callers see one value. */
  getOrInit(key: string, initial: string): Promise<string>;
}
