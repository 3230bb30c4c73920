/** Time as the domain sees it. Injected everywhere time matters so tests can move it by hand. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to: `clock.advance(300_000)`. */
export class ManualClock implements Clock {
  constructor(private ms = Date.UTC(2026, 0, 1, 4)) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
}

const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
/** The last day asked for: every send asks, and nearly all ask for today. */
let lastDay = { start: 0, end: 0, day: '' };

/** WeChat's daily quotas roll over at midnight China time (UTC+8). */
export function chinaDay(ms: number): string {
  if (ms >= lastDay.start && ms < lastDay.end) return lastDay.day;
  const start = Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;
  lastDay = { start, end: start + DAY_MS, day: new Date(start + CHINA_OFFSET_MS).toISOString().slice(0, 10) };
  return lastDay.day;
}

/** A time as views show it: ISO 8601, or null for one that has not happened. */
export const isoOrNull = (ms: number | null): string | null =>
  ms === null ? null : new Date(ms).toISOString();
