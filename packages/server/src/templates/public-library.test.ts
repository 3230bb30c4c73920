import { afterEach, beforeEach, expect, test } from 'vitest';
import { RID_SUFFIX as RID, type TestServer, testServer } from '../test-support/harness.js';
import { library } from './library.js';

let s: TestServer;
let token: string;
beforeEach(async () => {
  s = await testServer();
  token = await s.tokenFor(await s.newApp());
});
afterEach(() => s.close());

/** GET with a raw query string, so that tests control the exact encoding. */
async function get(path: string, query = '') {
  const res = await s.app.inject({
    method: 'GET',
    url: `/wxaapi/newtmpl/${path}?access_token=${token}${query}`,
  });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function expectCode(path: string, query: string, errcode: number) {
  const body = await get(path, query);
  expect(body, `${path}?${query}`).toMatchObject({ errcode });
  expect(body.errmsg).toMatch(RID);
}

test('getcategory lists every category as {id, name}, in English with lang=en_US', async () => {
  const body = await get('getcategory');
  expect(body).toEqual({
    errcode: 0,
    errmsg: 'ok',
    data: library.categories.map((c) => ({ id: c.id, name: c.name })),
  });
  expect(body.data).toContainEqual({ id: 616, name: '公交' });
  const en = await get('getcategory', '&lang=en_US');
  expect(en.data).toContainEqual({ id: 616, name: 'Public transport' });
  expect(en.data).toHaveLength(library.categories.length);
});

test('the business routes need an access token', async () => {
  for (const path of ['getcategory', 'getpubtemplatetitles?ids=616&start=0&limit=1', 'gettemplate']) {
    const res = await s.app.inject({ method: 'GET', url: `/wxaapi/newtmpl/${path}` });
    expect(res.json().errcode).toBe(41001);
  }
});

test('getpubtemplatetitles: one category, categoryId as a string', async () => {
  const body = await get('getpubtemplatetitles', '&ids=616&start=0&limit=30');
  const expected = library.titlesIn([616]);
  expect(body).toEqual({
    errcode: 0,
    errmsg: 'ok',
    count: expected.length,
    data: expected.map((t) => ({ tid: t.tid, title: t.title, type: t.type, categoryId: '616' })),
  });
  expect(body.data[0]).toEqual({ tid: 1701, title: '公交到站提醒', type: 3, categoryId: '616' });
});

test('getpubtemplatetitles pages through several categories; count is every match', async () => {
  const all = library.titlesIn([307, 311]);
  const page = await get('getpubtemplatetitles', '&ids=307,311&start=5&limit=3');
  expect(page.count).toBe(all.length);
  expect(page.data.map((t: { tid: number }) => t.tid)).toEqual(all.slice(5, 8).map((t) => t.tid));
  const past = await get('getpubtemplatetitles', `&ids=307,311&start=${all.length}&limit=30`);
  expect(past).toEqual({ errcode: 0, errmsg: 'ok', count: all.length, data: [] });
  const encoded = await get('getpubtemplatetitles', '&ids=307%2C311&start=0&limit=1');
  expect(encoded.data).toEqual([{ tid: 1101, title: '订单发货提醒', type: 2, categoryId: '307' }]);
  const en = await get('getpubtemplatetitles', '&ids=910&start=0&limit=1&lang=en_US');
  expect(en.data).toEqual([{ tid: 2101, title: 'Missed call', type: 2, categoryId: '910' }]);
});

test('200018: ids missing or empty', async () => {
  await expectCode('getpubtemplatetitles', '&start=0&limit=10', 200018);
  await expectCode('getpubtemplatetitles', '&ids=&start=0&limit=10', 200018);
  // ids are checked before start and limit
  await expectCode('getpubtemplatetitles', '', 200018);
});

test('200019: ids quoted, not numbers, unknown or repeated', async () => {
  for (const ids of ['%222,616%22', '"616"', 'abc', '999', '616,', '616;307', '-616', '616.0']) {
    await expectCode('getpubtemplatetitles', `&ids=${ids}&start=0&limit=10`, 200019);
  }
  await expectCode('getpubtemplatetitles', '&ids=616&ids=307&start=0&limit=10', 200019);
  await expectCode('getpubtemplatetitles', '&ids=abc', 200019);
});

test('200016: start missing, negative or not an integer', async () => {
  for (const start of [undefined, '', '-1', '1.5', 'x', '0x1']) {
    const q = start === undefined ? '&ids=616&limit=10' : `&ids=616&start=${start}&limit=10`;
    await expectCode('getpubtemplatetitles', q, 200016);
  }
  // start is checked before limit
  await expectCode('getpubtemplatetitles', '&ids=616&start=-1&limit=99', 200016);
});

test('200017: limit missing, below 1, above 30 or not an integer', async () => {
  for (const limit of [undefined, '', '0', '31', '2.5', 'ten', '-3']) {
    const q = limit === undefined ? '&ids=616&start=0' : `&ids=616&start=0&limit=${limit}`;
    await expectCode('getpubtemplatetitles', q, 200017);
  }
  expect((await get('getpubtemplatetitles', '&ids=307&start=0&limit=1')).data).toHaveLength(1);
  expect(
    (await get('getpubtemplatetitles', '&ids=307,311,321&start=0&limit=30')).data.length,
  ).toBeLessThanOrEqual(30);
});

test('getpubtemplatekeywords lists the pool of a title', async () => {
  const body = await get('getpubtemplatekeywords', '&tid=1102');
  expect(body.errcode).toBe(0);
  expect(body.errmsg).toBe('ok');
  expect(body.count).toBe(6);
  expect(body.data[0]).toEqual({
    kid: 1,
    name: '订单号',
    example: 'DD2019100100123',
    rule: 'character_string',
  });
  expect(body.data[4]).toEqual({ kid: 5, name: '支付方式', example: '微信支付', rule: 'enum' });
  expect(body.data.map((k: { kid: number }) => k.kid)).toEqual([1, 2, 3, 4, 5, 6]);
  const en = await get('getpubtemplatekeywords', '&tid=1102&lang=en_US');
  expect(en.data[4]).toEqual({ kid: 5, name: 'Payment method', example: 'WeChat Pay', rule: 'enum' });
});

test('200014: keywords of a missing, malformed or unknown tid', async () => {
  for (const q of ['', '&tid=', '&tid=abc', '&tid=424242', '&tid=-1', '&tid=1101&tid=1102']) {
    await expectCode('getpubtemplatekeywords', q, 200014);
  }
  expect((await get('getpubtemplatekeywords', '')).errmsg).toMatch(/^missing parameter tid rid: /);
  expect((await get('getpubtemplatekeywords', '&tid=424242')).errmsg).toMatch(/^tid does not exist rid: /);
});
