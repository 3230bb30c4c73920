/**
 * The value rules of subscribe-message keywords (spec §2): one function decides whether `data.<key>.value`
 * passes for the keyword's type. The platform's send pipeline and the SDK's `sendWithQuota` both call it,
 * so a value the SDK accepts is a value the platform accepts. The types themselves are listed in templates.ts. Lengths count characters (code points): a
 * Chinese character counts 1.
 */

/** Chinese (CJK unified ideographs, with extension A and the compatibility block). */
const HAN = /\p{Script=Han}/u;
const ONLY_HAN = /^\p{Script=Han}+$/u;
const LETTER = /[A-Za-z]/;
const DIGIT = /[0-9]/;
/** Line breaks and other control characters are never allowed (the table's footnote on symbols). */
const CONTROL = /\p{Cc}|\p{Zl}|\p{Zp}/u;

const chars = (s: string) => [...s];
/** A symbol: anything that is not Chinese, a letter, a digit or white space. */
const isSymbol = (c: string) => !HAN.test(c) && !LETTER.test(c) && !DIGIT.test(c) && !/\s/u.test(c);

const TIME = String.raw`(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?`;
const YEAR = String.raw`\d{4}`;
const MONTH = '(?:0?[1-9]|1[0-2])';
const DAY = String.raw`(?:0?[1-9]|[12]\d|3[01])`;
const DATE = [
  `${YEAR}年${MONTH}月${DAY}日`,
  `${YEAR}年${MONTH}月`,
  `${MONTH}月${DAY}日`,
  ...['-', '/', '.'].flatMap((sep) => {
    const s = `[${sep}]`;
    return [`${YEAR}${s}${MONTH}${s}${DAY}`, `${YEAR}${s}${MONTH}`, `${MONTH}${s}${DAY}`];
  }),
]
  .map((d) => `(?:${d})`)
  .join('|');

/** A point, or a range of two points joined by `~` (spaces around it allowed). */
const rangeOf = (point: string) => new RegExp(`^(?:${point})(?:\\s*~\\s*(?:${point}))?$`, 'u');
/** `time`: a 24-hour time, optionally after a date. */
const TIME_VALUE = rangeOf(`(?:(?:${DATE})\\s*)?${TIME}`);
/** `date`: a date, optionally followed by a 24-hour time. */
const DATE_VALUE = rangeOf(`(?:${DATE})(?:\\s*${TIME})?`);
/** `amount`: an optional currency symbol, at most 10 digits (decimals allowed), optionally `元`. */
const AMOUNT = /^[¥￥$€£]?(\d+(?:\.\d+)?)元?$/u;

import type { AnyKeywordType } from './templates.js';

export type KeywordCheck = (value: string) => boolean;

/** The rule of each keyword type. `enum` is checked against the template's own list (see below). */
export const KEYWORD_RULES: Readonly<Record<Exclude<AnyKeywordType, 'enum'>, KeywordCheck>> = {
  thing: (v) => chars(v).length <= 20,
  /** Not in the published table; seen in production templates. Assumed ≤ 5 characters (spec §2, inferred). */
  short_thing: (v) => chars(v).length <= 5,
  number: (v) => /^\d+(?:\.\d+)?$/.test(v) && v.replace('.', '').length <= 32,
  letter: (v) => /^[A-Za-z]{1,32}$/.test(v),
  symbol: (v) => chars(v).length <= 5 && chars(v).every(isSymbol),
  character_string: (v) => chars(v).length <= 32 && !HAN.test(v) && !/\s/u.test(v),
  time: (v) => TIME_VALUE.test(v),
  date: (v) => DATE_VALUE.test(v),
  amount: (v) => {
    const m = AMOUNT.exec(v);
    return !!m && m[1]!.replace('.', '').length <= 10;
  },
  phone_number: (v) =>
    chars(v).length <= 17 && /\d/.test(v) && chars(v).every((c) => DIGIT.test(c) || c === ' ' || isSymbol(c)),
  car_number: (v) => {
    const cs = chars(v);
    if (cs.length < 2 || cs.length > 8) return false;
    // First and last may be Chinese (province, 挂/学/警…); the ones between are letters and digits.
    return cs.every(
      (c, i) => /[A-Za-z0-9]/.test(c) || ((i === 0 || i === cs.length - 1) && ONLY_HAN.test(c)),
    );
  },
  name: (v) => {
    if (HAN.test(v)) return chars(v).length <= 10; // Chinese, or mixed (counted as a Chinese name)
    return chars(v).length <= 20 && /^[A-Za-z\p{P}\p{S} ]+$/u.test(v);
  },
  phrase: (v) => chars(v).length <= 5 && ONLY_HAN.test(v),
};

export type KeywordVerdict = 'ok' | 'is empty' | 'invalid';

/**
 * Checks one keyword value. `rule` is the keyword's type (`thing`, `date`, …; `enum` checks membership of
 * `enumValues`). Values may arrive as numbers (`{"value": 12}`); they are read as their text.
 *
 * @example
 *   checkKeywordValue('thing', '订单已发货')            // 'ok'
 *   checkKeywordValue('phrase', 'shipped')             // 'invalid'
 *   checkKeywordValue('amount', '')                    // 'is empty'
 */
export function checkKeywordValue(
  rule: string,
  value: unknown,
  enumValues?: readonly string[],
): KeywordVerdict {
  if (value === undefined || value === null) return 'is empty';
  if (typeof value !== 'string' && typeof value !== 'number') return 'invalid';
  const text = String(value);
  if (text.trim() === '') return 'is empty';
  if (CONTROL.test(text)) return 'invalid';
  if (rule === 'enum') return enumValues?.includes(text) ? 'ok' : 'invalid';
  const check = Object.hasOwn(KEYWORD_RULES, rule)
    ? KEYWORD_RULES[rule as keyof typeof KEYWORD_RULES]
    : undefined;
  if (!check) return 'invalid';
  return check(text) ? 'ok' : 'invalid';
}

/** One keyword of a template and its rule: `rule` null is a type this code does not know (not checked). */
export interface KeywordRuleOf {
  key: string;
  rule: string | null;
  enumValues?: readonly string[];
}

/** The first keyword whose value fails its rule, as 47003 names it (`data.<key>.value <problem>`). */
export interface InvalidKeyword {
  key: string;
  problem: Exclude<KeywordVerdict, 'ok'>;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a send's `data` against a template's keywords in the template's order, as the platform does:
 * the first keyword without a valid `data.<key>.value` is the answer (undefined when all pass). A `data`
 * that is missing or not an object is empty at its first key; keys the template lacks are ignored.
 *
 * @example
 *   const bad = firstInvalidKeyword([{ key: 'thing1', rule: 'thing' }], { thing1: { value: '' } });
 *   if (bad) throw ApiError.argumentInvalid(bad.key, bad.problem); // data.thing1.value is empty
 */
export function firstInvalidKeyword(
  keywords: readonly KeywordRuleOf[],
  data: unknown,
): InvalidKeyword | undefined {
  const fields = isPlainObject(data) ? data : {};
  for (const k of keywords) {
    if (k.rule === null) continue;
    const entry = Object.hasOwn(fields, k.key) ? fields[k.key] : undefined;
    const value = isPlainObject(entry) ? entry.value : undefined;
    const verdict = checkKeywordValue(k.rule, value, k.enumValues);
    if (verdict !== 'ok') return { key: k.key, problem: verdict };
  }
  return undefined;
}
