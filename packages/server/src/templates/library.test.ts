import { checkKeywordValue, isNewOneTimeTid, KEYWORD_TYPES, type KeywordType } from '@beckon/protocol';
import { expect, test } from 'vitest';
import { type LibraryKeyword, library } from './library.js';

const HAN = /\p{Script=Han}/u;
const ONLY_HAN = /^\p{Script=Han}+$/u;
const len = (s: string) => [...s].length;
const all = library.titles;
const keywords = all.flatMap((t) => t.keywords.map((k) => ({ title: t, k })));

/** The published length limits of spec §2, written out here independently of the send pipeline's rules. */
const publishedLimit: Partial<Record<KeywordType, (v: string) => boolean>> = {
  thing: (v) => len(v) <= 20,
  phrase: (v) => len(v) <= 5 && ONLY_HAN.test(v),
  character_string: (v) => len(v) <= 32 && !HAN.test(v),
  number: (v) => /^\d+(\.\d+)?$/.test(v) && v.replace('.', '').length <= 32,
  letter: (v) => /^[A-Za-z]{1,32}$/.test(v),
  name: (v) => (HAN.test(v) ? len(v) <= 10 : len(v) <= 20 && !/\d/.test(v)),
  amount: (v) => /^[¥$]\d{1,10}(\.\d+)?元?$/.test(v) && v.replace(/\D/g, '').length <= 10,
  phone_number: (v) => len(v) <= 17 && /^[\d+\-() ]+$/.test(v),
  car_number: (v) => len(v) <= 8,
  time: (v) => /\d{1,2}:\d{2}/.test(v),
  date: (v) => /^\d{4}(年|-)/.test(v),
};

test('the library is big enough and every category is used', () => {
  expect(all.length).toBeGreaterThanOrEqual(48);
  const categoryIds = library.categories.map((c) => c.id);
  expect(new Set(categoryIds).size).toBe(categoryIds.length);
  for (const c of library.categories) {
    expect(library.titlesIn([c.id]).length, `category ${c.id} ${c.name}`).toBeGreaterThan(0);
    expect(c.name).toMatch(HAN);
    expect(c.nameEn).toMatch(/^[A-Za-z &]+$/);
  }
  expect(library.categories).toContainEqual({
    id: 616,
    name: '公交',
    nameEn: 'Public transport',
    longTerm: true,
  });
  expect(library.titlesIn([910]).map((t) => t.title)).toEqual(
    expect.arrayContaining(['未接来电提醒', '通话邀请通知']),
  );
});

test('tids are unique, WeChat-like and every title is well formed', () => {
  expect(new Set(all.map((t) => t.tid)).size).toBe(all.length);
  for (const t of all) {
    expect((t.tid >= 1000 && t.tid <= 9999) || isNewOneTimeTid(t.tid), `tid ${t.tid}`).toBe(true);
    // Operation rules (spec §6.3): a title ends in 提醒 or 通知.
    expect(t.title).toMatch(/(提醒|通知)$/);
    expect(t.titleEn.trim()).not.toBe('');
    expect([2, 3]).toContain(t.type);
    expect(t.keywords.length, `tid ${t.tid}`).toBeGreaterThanOrEqual(4);
    expect(t.keywords.length, `tid ${t.tid}`).toBeLessThanOrEqual(10);
    expect(t.keywords.map((k) => k.kid)).toEqual(t.keywords.map((_, i) => i + 1));
    // No duplicate keywords within a title (spec §6.3).
    expect(new Set(t.keywords.map((k) => k.name)).size, `tid ${t.tid}`).toBe(t.keywords.length);
  }
  expect(all.filter((t) => isNewOneTimeTid(t.tid))).toHaveLength(1);
  expect(all.filter((t) => t.banned).map((t) => t.title)).toEqual(['优惠券到期提醒']);
});

test('long-term titles exist only in the categories of spec §6.2', () => {
  const longTerm = all.filter((t) => t.type === 3);
  expect(longTerm.length).toBeGreaterThanOrEqual(5);
  const allowed = new Set(library.categories.filter((c) => c.longTerm).map((c) => c.id));
  for (const t of longTerm) expect(allowed.has(t.categoryId), `tid ${t.tid}`).toBe(true);
  // Health, education, finance, transport and government each have some.
  for (const id of [410, 420, 510, 616, 618, 710]) {
    expect(
      longTerm.some((t) => t.categoryId === id),
      `category ${id}`,
    ).toBe(true);
  }
  expect(library.categories.filter((c) => c.longTerm).map((c) => c.id)).toEqual([
    410, 420, 510, 616, 618, 710,
  ]);
});

test('every keyword has a known rule and Chinese and English texts', () => {
  for (const { title, k } of keywords) {
    const where = `tid ${title.tid} kid ${k.kid}`;
    expect(KEYWORD_TYPES as readonly string[], where).toContain(k.rule);
    expect(k.name, where).toMatch(HAN);
    for (const text of [k.name, k.nameEn, k.example, k.exampleEn]) expect(text.trim(), where).not.toBe('');
    if (k.rule === 'enum') {
      expect(k.enumValues?.length, where).toBeGreaterThan(1);
      expect(k.enumValuesEn, where).toHaveLength(k.enumValues!.length);
      expect(k.enumValues, where).toContain(k.example);
      expect(k.enumValuesEn, where).toContain(k.exampleEn);
    } else {
      expect(k.enumValues, where).toBeUndefined();
    }
  }
  expect(keywords.filter(({ k }) => k.rule === 'enum').length).toBeGreaterThanOrEqual(5);
  expect(new Set(keywords.map(({ k }) => k.rule))).toEqual(
    new Set(KEYWORD_TYPES.filter((t) => t !== 'letter' && t !== 'symbol')),
  );
});

test('every example respects the published limits of its type', () => {
  const failures: string[] = [];
  const check = (k: LibraryKeyword, value: string, where: string) => {
    const limit = publishedLimit[k.rule as KeywordType];
    if (limit && !limit(value)) failures.push(`${where} ${k.rule} ${JSON.stringify(value)}`);
  };
  for (const { title, k } of keywords) {
    check(k, k.example, `tid ${title.tid} kid ${k.kid} (zh)`);
    // A phrase must be Chinese: its English example is a gloss for display, not a sendable value.
    if (k.rule !== 'phrase') check(k, k.exampleEn, `tid ${title.tid} kid ${k.kid} (en)`);
    else if (len(k.exampleEn) > 20) failures.push(`tid ${title.tid} kid ${k.kid} (en gloss too long)`);
  }
  expect(failures).toEqual([]);
});

test('every example passes the send pipeline keyword rules', () => {
  const failures = keywords.flatMap(({ title, k }) =>
    [
      ['zh', k.example, k.enumValues],
      ['en', k.exampleEn, k.enumValuesEn],
    ]
      .filter(([lang]) => !(lang === 'en' && k.rule === 'phrase'))
      .filter(
        ([, value, values]) => checkKeywordValue(k.rule, value, values as string[] | undefined) !== 'ok',
      )
      .map(([lang, value]) => `tid ${title.tid} kid ${k.kid} ${k.rule} (${lang}) ${JSON.stringify(value)}`),
  );
  expect(failures).toEqual([]);
});

test('lookups: by tid and by categories, in library order', () => {
  expect(library.title(1101)?.title).toBe('订单发货提醒');
  expect(library.title(424242)).toBeUndefined();
  expect(library.hasCategory(616)).toBe(true);
  expect(library.hasCategory(2)).toBe(false);
  const both = library.titlesIn([311, 307, 311]);
  expect(both.map((t) => t.tid)).toEqual(
    all.filter((t) => t.categoryId === 307 || t.categoryId === 311).map((t) => t.tid),
  );
});
