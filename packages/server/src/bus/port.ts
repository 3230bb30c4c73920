/**
 * The Bus carries what may be lost and rebuilt: messages between nodes, short locks and rate counters.
 * Durable truth lives in the Store. Memory adapter for one node; a Redis adapter for several.
 */
export interface Bus {
  /** Deliver `message` to every subscriber of `channel` on every node. */
  publish(channel: string, message: unknown): Promise<void>;
  /** Receive the channel's messages until the returned function is called. */
  subscribe(channel: string, handler: (message: unknown) => void): Promise<() => Promise<void>>;
  /**
   * Count one more hit in the window that `key` names; the counter disappears `windowMs` after its first
   * hit. Returns the count including this hit.
   */
  hit(key: string, windowMs: number): Promise<number>;
  /** The count of the window that `key` names, without counting a hit (0 when there is none). */
  hits(key: string): Promise<number>;
  /** Take a lock that frees itself after `ttlMs`. Returns its owner token, or null when it is held. */
  lock(key: string, ttlMs: number): Promise<string | null>;
  /** Free a lock early; only its owner can. Returns whether it was freed. */
  unlock(key: string, owner: string): Promise<boolean>;
  close(): Promise<void>;
}
