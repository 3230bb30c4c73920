import { MAX_PRIVATE_TEMPLATES } from '@beckon/protocol';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RID_SUFFIX as RID, type TestServer, testServer } from '../test-support/harness.js';
import { getPrivateTemplate } from './service.js';

let s: TestServer;
let app: { appid: string; secret: string };
let token: string;
beforeEach(async () => {
  s = await testServer();
  app = await s.newApp();
  token = await s.tokenFor(app);
});
afterEach(() => s.close());

const FORM = 'application/x-www-form-urlencoded';
const PRI_TMPL_ID = /^[A-Za-z0-9_-]{43}$/;

/** POSTs an object as JSON, a string as a form (or as `contentType`), or nothing at all. */
async function post(path: string, payload?: object | string, contentType?: string, as = token) {
  const res = await s.app.inject({
    method: 'POST',
    url: `/wxaapi/newtmpl/${path}?access_token=${as}`,
    ...(payload === undefined
      ? {}
      : typeof payload === 'string'
        ? { payload, headers: { 'content-type': contentType ?? FORM } }
        : {
            payload: JSON.stringify(payload),
            headers: { 'content-type': contentType ?? 'application/json' },
          }),
  });
  expect(res.statusCode).toBe(200);
  return res.json();
}
const add = (payload?: object | string, contentType?: string, as?: string) =>
  post('addtemplate', payload, contentType, as);

async function list(as = token) {
  const res = await s.app.inject({ method: 'GET', url: `/wxaapi/newtmpl/gettemplate?access_token=${as}` });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function expectCode(payload: object | string | undefined, errcode: number) {
  const body = await add(payload);
  expect(body, JSON.stringify(payload)).toEqual({ errcode, errmsg: expect.stringMatching(RID) });
}

test('addtemplate with a JSON body, then gettemplate shows content and example in kidList order', async () => {
  const added = await add({ tid: 1101, kidList: [3, 1], sceneDesc: '发货后通知买家' });
  expect(added).toEqual({ errcode: 0, errmsg: 'ok', priTmplId: expect.stringMatching(PRI_TMPL_ID) });
  expect(await list()).toEqual({
    errcode: 0,
    errmsg: 'ok',
    data: [
      {
        priTmplId: added.priTmplId,
        title: '订单发货提醒',
        content: '快递公司:{{thing3.DATA}}\n订单号:{{character_string1.DATA}}\n',
        example: '快递公司:顺丰速运\n订单号:DD2019100100123\n',
        type: 2,
      },
    ],
  });
});

describe('addtemplate reads every kidList encoding', () => {
  const cases: [string, string | object, string?][] = [
    ['JSON', { tid: 1101, kidList: [1, 2] }],
    ['JSON, tid and kids as strings', { tid: '1101', kidList: ['1', '2'] }],
    ['JSON, kidList as a JSON string', { tid: 1101, kidList: '[1,2]' }],
    ['JSON sent as text/plain', '{"tid":"1101","kidList":[1,2]}', 'text/plain'],
    ['JSON sent labelled as a form', '{"tid":1101,"kidList":[1,2]}'],
    ['form, repeated kidList', 'tid=1101&kidList=1&kidList=2'],
    ['form, kidList[]', 'tid=1101&kidList%5B%5D=1&kidList%5B%5D=2'],
    ['form, kidList[] unencoded', 'tid=1101&kidList[]=1&kidList[]=2'],
    ['form, kidList[n]', 'tid=1101&kidList%5B0%5D=1&kidList%5B1%5D=2&sceneDesc=test'],
    ['form, kidList as a JSON array', 'tid=1101&kidList=%5B1%2C2%5D'],
    ['form, kidList as an unencoded JSON array', 'tid=1101&kidList=[1,2]'],
  ];
  test.each(cases)('%s', async (_name, payload, contentType) => {
    const body = await add(payload, contentType);
    expect(body).toEqual({ errcode: 0, errmsg: 'ok', priTmplId: expect.stringMatching(PRI_TMPL_ID) });
    const t = await getPrivateTemplate(s.ctx, app.appid, body.priTmplId);
    expect(t.keywords.map((k) => k.key)).toEqual(['character_string1', 'thing2']);
    expect(t.tid).toBe(1101);
  });
});

test('enum keywords: enum_string placeholder and keywordEnumValueList', async () => {
  const { priTmplId } = await add('tid=1102&kidList=5&kidList=3');
  const [t] = (await list()).data;
  expect(t).toEqual({
    priTmplId,
    title: '订单支付成功通知',
    content: '支付方式:{{enum_string5.DATA}}\n支付金额:{{amount3.DATA}}\n',
    example: '支付方式:微信支付\n支付金额:¥99.00\n',
    type: 2,
    keywordEnumValueList: [
      { keywordCode: 'enum_string5', enumValueList: ['微信支付', '余额支付', '银行卡支付'] },
    ],
  });
});

test('a long-term title gives a type 3 template; the stored record keeps the Chinese texts', async () => {
  const { priTmplId } = await add({ tid: 1402, kidList: [1, 3, 4], sceneDesc: '就诊前一天提醒' });
  const t = await getPrivateTemplate(s.ctx, app.appid, priTmplId);
  expect(t).toMatchObject({ tid: 1402, title: '就诊提醒', type: 3, sceneDesc: '就诊前一天提醒' });
  expect(t.keywords).toEqual([
    { kid: 1, key: 'name1', name: '就诊人', rule: 'name', example: '张三' },
    { kid: 3, key: 'time3', name: '就诊时间', rule: 'time', example: '2019年10月1日 15:01' },
    { kid: 4, key: 'thing4', name: '就诊地点', rule: 'thing', example: '门诊楼3楼B区' },
  ]);
  expect((await list()).data[0].type).toBe(3);
});

test('a new one-time title (10000001 ≤ tid < 20000000) takes kidList [] and all its keywords', async () => {
  for (const payload of [{ tid: 10000101, kidList: [] }, { tid: '10000101' }, 'tid=10000101&kidList=']) {
    const body = await add(payload);
    expect(body.errcode, JSON.stringify(payload)).toBe(0);
    const t = await getPrivateTemplate(s.ctx, app.appid, body.priTmplId);
    expect(t.keywords.map((k) => k.key)).toEqual(['thing1', 'time2', 'phrase3', 'thing4']);
  }
  await expectCode({ tid: 10000101, kidList: [1, 2] }, 200020);
  await expectCode('tid=10000101&kidList=1', 200020);
});

test('200011: the app is banned from subscribe messages (checked first)', async () => {
  await s.ctx.store.apps.update(app.appid, { subscribeBanned: true });
  await expectCode({ tid: 1101, kidList: [1, 2] }, 200011);
  await expectCode({}, 200011);
  expect((await list()).data).toEqual([]);
});

test('200014: tid missing, malformed or unknown', async () => {
  await expectCode({ kidList: [1, 2] }, 200014);
  await expectCode('kidList=1&kidList=2', 200014);
  // No body at all is 44002 empty post data, as on every WeChat POST route here.
  await expectCode(undefined, 44002);
  await expectCode({ tid: 'abc', kidList: [1, 2] }, 200014);
  await expectCode({ tid: 424242, kidList: [1, 2] }, 200014);
  await expectCode({ tid: 1101.5, kidList: [1, 2] }, 200014);
  await expectCode({ tid: true, kidList: [1, 2] }, 200014);
  await expectCode([1101, 1, 2], 200014);
  expect((await add({})).errmsg).toMatch(/^missing parameter tid rid: /);
  expect((await add({ tid: 424242 })).errmsg).toMatch(/^tid does not exist rid: /);
});

test('200013: a banned (marketing) title', async () => {
  await expectCode({ tid: 1108, kidList: [1, 2] }, 200013);
  // checked before the kidList
  await expectCode({ tid: 1108, kidList: [] }, 200013);
});

test('200020: kidList missing, unreadable or not 2–5 distinct kids of the title', async () => {
  const bad: unknown[] = [
    undefined,
    [],
    [1],
    [1, 2, 3, 4, 5, 6],
    [1, 1],
    [1, 99],
    [0, 1],
    [1.5, 2],
    [-1, 2],
    ['a', 'b'],
    [[1], 2],
    '[1,',
    '{"a":1}',
    { 0: 1, 1: 2 },
    true,
  ];
  for (const kidList of bad) await expectCode({ tid: 1101, kidList }, 200020);
  await expectCode('tid=1101&kidList=1', 200020);
  await expectCode('tid=1101&kidList=abc&kidList=2', 200020);
  // kidList is checked before sceneDesc
  await expectCode({ tid: 1101, kidList: [1], sceneDesc: 'x'.repeat(40) }, 200020);
  expect((await add({ tid: 1101, kidList: [1, 2, 3, 4, 5] })).errcode).toBe(0);
  expect((await add({ tid: 1101, kidList: [7, 2] })).errcode).toBe(0);
});

test('200021: sceneDesc longer than 15 characters (code points) or not text', async () => {
  await expectCode({ tid: 1101, kidList: [1, 2], sceneDesc: '一二三四五六七八九十一二三四五六' }, 200021);
  await expectCode({ tid: 1101, kidList: [1, 2], sceneDesc: 'a'.repeat(16) }, 200021);
  await expectCode({ tid: 1101, kidList: [1, 2], sceneDesc: 123 }, 200021);
  await expectCode('tid=1101&kidList=1&kidList=2&sceneDesc=a&sceneDesc=b', 200021);
  for (const sceneDesc of ['一二三四五六七八九十一二三四五', '😀'.repeat(15), '', 'a'.repeat(15)]) {
    expect((await add({ tid: 1101, kidList: [1, 2], sceneDesc })).errcode, sceneDesc).toBe(0);
  }
});

test('200012: at most 25 private templates per app; deleting frees a place', async () => {
  const ids: string[] = [];
  for (let i = 0; i < MAX_PRIVATE_TEMPLATES; i++)
    ids.push((await add({ tid: 1101, kidList: [1, 2] })).priTmplId);
  await expectCode({ tid: 1101, kidList: [1, 2] }, 200012);
  // the cap is checked last
  await expectCode({ tid: 1101, kidList: [1] }, 200020);
  expect((await list()).data).toHaveLength(25);
  // another app is not affected
  const other = await s.newApp();
  expect((await add({ tid: 1101, kidList: [1, 2] }, undefined, await s.tokenFor(other))).errcode).toBe(0);
  expect(await post('deltemplate', { priTmplId: ids[3] })).toEqual({ errcode: 0, errmsg: 'ok' });
  expect((await add({ tid: 1101, kidList: [1, 2] })).errcode).toBe(0);
});

test('concurrent adds at the cap never exceed 25', async () => {
  for (let i = 0; i < 20; i++) expect((await add({ tid: 1101, kidList: [1, 2] })).errcode).toBe(0);
  const results = await Promise.all(
    Array.from({ length: 25 }, (_, i) => add({ tid: 1301, kidList: [1, 2], sceneDesc: `#${i}` })),
  );
  const codes = results.map((r) => r.errcode);
  expect(codes.filter((c) => c === 0)).toHaveLength(5);
  expect(codes.filter((c) => c === 200012)).toHaveLength(20);
  expect((await list()).data).toHaveLength(25);
  expect(await s.ctx.store.templates.list(app.appid)).toHaveLength(25);
});

test('gettemplate lists oldest first; an app with none gets an empty list', async () => {
  const a = (await add({ tid: 1201, kidList: [2, 3] })).priTmplId;
  const b = (await add({ tid: 2101, kidList: [1, 3] })).priTmplId;
  const { data } = await list();
  expect(data.map((t: { priTmplId: string }) => t.priTmplId)).toEqual([a, b]);
  expect(data[1]).toEqual({
    priTmplId: b,
    title: '未接来电提醒',
    content: '来电人:{{name1.DATA}}\n通话类型:{{enum_string3.DATA}}\n',
    example: '来电人:张医生\n通话类型:语音通话\n',
    type: 2,
    keywordEnumValueList: [{ keywordCode: 'enum_string3', enumValueList: ['语音通话', '视频通话'] }],
  });
  const other = await s.newApp();
  expect(await list(await s.tokenFor(other))).toEqual({ errcode: 0, errmsg: 'ok', data: [] });
});

test('deltemplate with JSON or form; unknown and missing ids are 40037', async () => {
  const a = (await add({ tid: 1101, kidList: [1, 2] })).priTmplId;
  const b = (await add({ tid: 1101, kidList: [1, 3] })).priTmplId;
  expect(await post('deltemplate', { priTmplId: a })).toEqual({ errcode: 0, errmsg: 'ok' });
  expect(await post('deltemplate', `priTmplId=${b}`)).toEqual({ errcode: 0, errmsg: 'ok' });
  expect((await list()).data).toEqual([]);
  for (const payload of [{ priTmplId: a }, { priTmplId: 'nope' }, {}, { priTmplId: 42 }, '[]', 'x=1']) {
    const body = await post('deltemplate', payload);
    expect(body, JSON.stringify(payload)).toEqual({ errcode: 40037, errmsg: expect.stringMatching(RID) });
    expect(body.errmsg).toMatch(/^invalid template_id\b.* rid: /);
  }
  expect((await post('deltemplate')).errcode).toBe(44002);
});

test('one app can neither see, use nor delete another app’s templates', async () => {
  const mine = (await add({ tid: 1101, kidList: [1, 2] })).priTmplId;
  const other = await s.newApp();
  const otherToken = await s.tokenFor(other);
  expect((await list(otherToken)).data).toEqual([]);
  const del = await post('deltemplate', { priTmplId: mine }, undefined, otherToken);
  expect(del.errcode).toBe(40037);
  expect((await list()).data.map((t: { priTmplId: string }) => t.priTmplId)).toEqual([mine]);
  await expect(getPrivateTemplate(s.ctx, other.appid, mine)).rejects.toMatchObject({ code: 40037 });
  await expect(getPrivateTemplate(s.ctx, app.appid, mine)).resolves.toMatchObject({ priTmplId: mine });
});
