import { expect, test } from 'vitest';
import { chinaDay } from './clock.js';

test('chinaDay turns at midnight China time (16:00 UTC), forwards and backwards alike', () => {
  const at = (iso: string) => chinaDay(Date.parse(iso));
  expect(at('2026-11-24T15:59:59.999Z')).toBe('2026-11-24');
  expect(at('2026-11-24T16:00:00.000Z')).toBe('2026-11-25');
  expect(at('2026-11-24T15:59:59.999Z')).toBe('2026-11-24');
  expect(at('2026-11-25T15:59:59.999Z')).toBe('2026-11-25');
  expect(at('2026-12-31T16:00:00.000Z')).toBe('2027-01-01');
  expect(at('2024-02-28T16:00:00.000Z')).toBe('2024-02-29');
  expect(at('1969-12-31T15:59:59.999Z')).toBe('1969-12-31');
  expect(at('1969-12-31T16:00:00.000Z')).toBe('1970-01-01');
  // Every hour of a year agrees with the plain computation.
  for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 3_599_999) {
    expect(chinaDay(ms)).toBe(new Date(ms + 8 * 3600_000).toISOString().slice(0, 10));
  }
});
