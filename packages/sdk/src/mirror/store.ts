/**
 * The ledger mirror's storage contract. Each method is one atomic step, so many processes (or many
 * concurrent requests in one) can share a store: a count never goes below zero and a spend is never
 * counted twice.
 *
 * Per (openid, template) the store keeps:
 * - `count`: one-time sends available (what `wx.requestSubscribeMessage` accepts added, minus spends);
 * - `reserved`: sends taken out of `count` by sends still in flight (`reserve` → `spend` or `release`);
 * - `active`: a long-term template the user accepted (it sends without spending anything);
 * - internally, the time of the latest accept (an older change event is stale) and a generation that every
 *   reset advances (a send reserved before a reset spends and refunds nothing after it).
 */

export const ACCEPT_SOURCES = ['client', 'event'] as const;
/** Who reported an accept: the mini program (`reportAccepted`) or the platform's popup event. */
export type AcceptSource = (typeof ACCEPT_SOURCES)[number];
/** The side whose unmatched report an accept from `source` absorbs (see `LedgerStore.accept`). */
export const otherSource = (source: AcceptSource): AcceptSource => (source === 'client' ? 'event' : 'client');

export interface LedgerEntry {
  count: number;
  reserved: number;
  active: boolean;
}

/**
 * What `reserve` took: a one-time send (to `spend` or `release` later, with its `generation`), an active
 * long-term one, or none.
 */
export type Reservation = { kind: 'one-time'; generation: number } | { kind: 'long-term' } | null;

export interface AcceptOptions {
  /**
   * When the user accepted, in seconds since the epoch (a popup event's CreateTime; for a client report, when
   * it arrived). Default: now. A change event older than the latest accept does not undo it.
   */
  at?: number;
  /**
   * Applies this accept at most once per `id` within `ttlMs`, checked in the same atomic step: a pushed
   * event's item, so a redelivery after a failure (or after a lost answer) grows nothing.
   */
  once?: { id: string; ttlMs: number };
}

export interface LedgerStore {
  /** The entry; zeros when nothing was ever recorded. */
  get(openid: string, templateId: string): Promise<LedgerEntry>;
  /**
   * One accept of a one-time template, reported by `source`. The same accept usually arrives twice (the
   * client's report and the popup event), so an accept first absorbs an unmatched report of the OTHER
   * source from the last `pairTtlMs`; only an unmatched accept adds one. Answers whether the count grew
   * (false also for an `options.once` id already applied).
   */
  accept(
    openid: string,
    templateId: string,
    source: AcceptSource,
    pairTtlMs: number,
    options?: AcceptOptions,
  ): Promise<boolean>;
  /**
   * Marks a long-term template accepted (true) or not (false). Accepting records `at` (seconds since the
   * epoch, default now) as the latest accept, as `accept` does.
   */
  setActive(openid: string, templateId: string, active: boolean, at?: number): Promise<void>;
  /**
   * The user turned the template off (or the platform said 43101): count, reservations, `active` and the
   * unmatched pairing reports go to zero, and the generation advances, so sends reserved before resolve
   * against zero: a failure refunds nothing, a success spends nothing. With `at` (a change event's
   * CreateTime, seconds) older than the latest accept, nothing changes: the accept came after the change.
   * Answers whether it reset.
   */
  reset(openid: string, templateId: string, at?: number): Promise<boolean>;
  /** Takes one send for an outgoing message: long-term when active, else one-time when count > 0. */
  reserve(openid: string, templateId: string): Promise<Reservation>;
  /**
   * A send reserved in `generation` failed: back into `count` (nothing, if a reset has happened since or a
   * spend has taken the reservation).
   */
  release(openid: string, templateId: string, generation: number): Promise<void>;
  /**
   * The platform spent one send with message `msgid` (the send's answer, or its sent event — whichever comes
   * first; the second is a no-op for `seenTtlMs`). Takes a reservation if there is one, else one from count
   * (never below zero). With the `generation` of the send's reservation, and a reset since, it takes nothing
   * (the reset already zeroed that send). Answers whether this msgid was new.
   */
  spend(
    openid: string,
    templateId: string,
    msgid: string,
    seenTtlMs: number,
    generation?: number,
  ): Promise<boolean>;
  /** True the first time `eventId` is marked within `ttlMs`: pushes arrive at least once. */
  markSeen(eventId: string, ttlMs: number): Promise<boolean>;
  /** Whether `eventId` was marked (and has not expired). */
  seen(eventId: string): Promise<boolean>;
  /** Frees what the store opened itself (never a client it was given). */
  close(): Promise<void>;
}
