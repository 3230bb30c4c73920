import type { UserRecord } from './accounts.js';

/** One of a user's friends, with the user record it names. */
export interface FriendRecord {
  user: UserRecord;
  /** ms since epoch: when the two became friends (the same instant on both sides). */
  since: number;
}

/** What `add` did: `existing` when the two were friends already (nothing changed; `since` is the old one). */
export interface AddFriendshipResult {
  status: 'added' | 'existing';
  since: number;
}

/**
 * Friendships on the platform: always mutual, so each method reads or writes both directions at once. The two
 * users must exist and differ (the domain checks; the adapter refuses rather than store a half).
 */
export interface FriendStore {
  /** Makes `a` and `b` friends of each other at `since`, or leaves an existing friendship as it is. */
  add(a: string, b: string, since: number): Promise<AddFriendshipResult>;
  /** Ends the friendship on both sides; false when there was none. */
  remove(a: string, b: string): Promise<boolean>;
  /** The user's friends, by username regardless of case. */
  list(userId: string): Promise<FriendRecord[]>;
  areFriends(a: string, b: string): Promise<boolean>;
}
