/**
 * The ledger mirror's storage contract. Each method is one atomic step, so many processes (or many
 * concurrent requests in one) can share a store: a count never goes below zero and a spend is never
 * counted twice.
 *
 * Per (openid, template) the store keeps:
 * - `count`: one-time sends available (what `wx.requestSubscribeMessage` accepts added, minus spends);
 * - `reserved`: sends taken out of `count` by sends still in flight (`reserve` → `spend` or `release`);
 * - `active`: a long-term template the user accepted (it sends without spending anything).
 */

/** Who reported an accept: the mini program (`reportAccepted`) or the platform's popup event. */
export type AcceptSource = 'client' | 'event';

export interface LedgerEntry {
  count: number;
  reserved: number;
  active: boolean;
}

/** What `reserve` took: a one-time send (to `spend` or `release` later), an active long-term one, or none. */
export type Reservation = 'one-time' | 'long-term' | null;

export interface LedgerStore {
  /** The entry; zeros when nothing was ever recorded. */
  get(openid: string, templateId: string): Promise<LedgerEntry>;
  /**
   * One accept of a one-time template, reported by `source`. The same accept usually arrives twice (the
   * client's report and the popup event), so an accept first absorbs an unmatched report of the OTHER
   * source from the last `pairTtlMs`; only an unmatched accept adds one. Answers whether the count grew.
   */
  accept(openid: string, templateId: string, source: AcceptSource, pairTtlMs: number): Promise<boolean>;
  /** Marks a long-term template accepted (true) or not (false). */
  setActive(openid: string, templateId: string, active: boolean): Promise<void>;
  /**
   * The user turned the template off (or the platform said 43101): count, reservations and `active` go to
   * zero. In-flight sends then resolve against zero: a failure refunds nothing, a success spends nothing more.
   */
  reset(openid: string, templateId: string): Promise<void>;
  /** Takes one send for an outgoing message: long-term when active, else one-time when count > 0. */
  reserve(openid: string, templateId: string): Promise<Reservation>;
  /** A reserved send failed: back into `count` (nothing, if a reset or a spend has taken the reservation). */
  release(openid: string, templateId: string): Promise<void>;
  /**
   * The platform spent one send with message `msgid` (the send's answer, or its sent event — whichever comes
   * first; the second is a no-op for `seenTtlMs`). Takes a reservation if there is one, else one from count
   * (never below zero). Answers whether this msgid was new.
   */
  spend(openid: string, templateId: string, msgid: string, seenTtlMs: number): Promise<boolean>;
  /** True the first time `eventId` is marked within `ttlMs`: pushes arrive at least once. */
  markSeen(eventId: string, ttlMs: number): Promise<boolean>;
  /** Frees what the store opened itself (never a client it was given). */
  close(): Promise<void>;
}
