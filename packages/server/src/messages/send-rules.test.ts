import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createApp } from '../apps/service.js';
import { buildServer } from '../server.js';
import { ADMIN_TOKEN, RID_SUFFIX, type TestServer, testContext } from '../test-support/harness.js';
import {
  addTemplate,
  grant,
  remaining,
  type SendAnswer,
  send,
  shippedData,
  signUpRecipient,
  useSendWorld,
} from './test-support/send.js';

/** The data rules (47003, spec §2) and the content policy (45168, spec §6.3) as the send applies them. */

const w = useSendWorld();

function expectError(answer: SendAnswer, errcode: number, errmsg: string) {
  expect(answer.status).toBe(200);
  expect(answer.errcode, answer.raw).toBe(errcode);
  expect(answer.errmsg).toMatch(RID_SUFFIX);
  expect(answer.errmsg.replace(RID_SUFFIX, '')).toBe(errmsg);
}

const sendData = (data: unknown, template = w.tmpl) =>
  send(w.s, w.token, { touser: w.alice.openid, template_id: template, data });

describe('47003: every keyword, in template order', () => {
  test('a value breaking its rule is `argument invalid! data.<key>.value invalid`', async () => {
    const cases: [string, unknown][] = [
      ['character_string1', '订单DD001'],
      ['thing2', '这是一个超过二十个字符长度的商品名称真的很长'],
      ['thing3', { nested: true }],
      ['character_string4', 'SF 123'],
      ['time5', '明天下午'],
      ['time5', '25:00'],
      ['thing2', '第一行\n第二行'],
      ['thing2', true],
    ];
    for (const [key, value] of cases) {
      const answer = await sendData(shippedData({ [key]: value }));
      expectError(answer, 47003, `argument invalid! data.${key}.value invalid`);
    }
    expect(await remaining(w.s, w.app, w.alice, w.tmpl)).toBe(1);
  });

  test('a missing, empty, blank or null value is `argument invalid! data.<key>.value is empty`', async () => {
    const missing = shippedData();
    delete missing.thing3;
    expectError(await sendData(missing), 47003, 'argument invalid! data.thing3.value is empty');
    for (const value of ['', '   ', null]) {
      expectError(
        await sendData(shippedData({ thing2: value })),
        47003,
        'argument invalid! data.thing2.value is empty',
      );
    }
    // `{"thing2": "耳机"}` instead of `{"thing2": {"value": "耳机"}}`: the value is missing.
    const flat = { ...shippedData(), thing2: '耳机' };
    expectError(await sendData(flat), 47003, 'argument invalid! data.thing2.value is empty');
    expectError(
      await sendData({ ...shippedData(), time5: {} }),
      47003,
      'argument invalid! data.time5.value is empty',
    );
    expect(await remaining(w.s, w.app, w.alice, w.tmpl)).toBe(1);
  });

  test('no data, or data that is not an object, is empty at the first keyword', async () => {
    for (const data of [undefined, null, 'text', 42, [], [{ value: 'x' }]]) {
      expectError(await sendData(data), 47003, 'argument invalid! data.character_string1.value is empty');
    }
  });

  test('the first failing keyword in template order is the one named', async () => {
    const answer = await sendData(shippedData({ time5: 'bad', thing2: '', character_string4: '中文' }));
    expectError(answer, 47003, 'argument invalid! data.thing2.value is empty');
  });

  test('numbers are read as their text; keys the template lacks are ignored', async () => {
    const answer = await sendData({
      ...shippedData({ character_string1: 20191001, thing2: 3.5 }),
      thing9: { value: '' },
    });
    expect(answer.errcode, answer.raw).toBe(0);
    const stored = await w.s.ctx.store.messages.get(w.alice.userId, answer.msgid!);
    expect(stored!.rows.slice(0, 2).map((r) => r.value)).toEqual(['20191001', '3.5']);
  });

  test.each([
    // tid, kids, the key under test, a valid value, an invalid value
    [1102, [3, 5, 6], 'amount3', '¥99.00', '99块'],
    [1102, [3, 5, 6], 'enum_string5', '余额支付', '现金'],
    [1102, [3, 5, 6], 'phrase6', '待发货', 'shipped'],
    [1107, [1, 2], 'number2', '3', '三'],
    [1306, [2, 4], 'date2', '2019年10月1日', '10月32日'],
    [1201, [6, 1], 'phone_number6', '020-88886666', '电话号码'],
    [1202, [3, 1], 'name3', '李师傅', 'Li99'],
    [1802, [1, 2], 'car_number1', '粤A12345', '粤A123456789'],
  ])('tid %i %j: %s', async (tid, kids, key, good, bad) => {
    const template = await addTemplate(w.s, w.app, tid, kids);
    const detail = (await w.s.ctx.store.templates.get(w.app.appid, template))!;
    const valid = Object.fromEntries(
      detail.keywords.map((k) => [k.key, { value: k.enumValues?.[0] ?? k.example }]),
    );
    await grant(w.s, w.app, w.alice, template);
    expectError(
      await sendData({ ...valid, [key]: { value: bad } }, template),
      47003,
      `argument invalid! data.${key}.value invalid`,
    );
    expect(await remaining(w.s, w.app, w.alice, template)).toBe(1);
    const ok = await sendData({ ...valid, [key]: { value: good } }, template);
    expect(ok.errcode, ok.raw).toBe(0);
  });

  test('the data is checked after the page and before the content policy', async () => {
    expectError(
      await sendData(shippedData({ thing2: 'https://example.com', thing3: '' })),
      47003,
      'argument invalid! data.thing3.value is empty',
    );
  });
});

describe('45168: the content policy', () => {
  test.each([
    ['a sensitive word', 'thing2', '网上赌博平台'],
    ['a sensitive English word', 'thing3', 'Casino night'],
    ['a link', 'thing3', '详见 example.com'],
    ['a link with a scheme', 'character_string4', 'http://x.cn/a'],
    ['www.', 'thing2', '访问www.abc.cn'],
    ['a short link', 'thing2', '快来 t.cn/A6xyz'],
    ['a QR payload', 'character_string1', 'wxp://f2f0abc'],
    ['a deep link', 'thing3', 'weixin://dl/abc'],
  ])('%s: keyword in blacklist, nothing spent', async (_what, key, value) => {
    expectError(await sendData(shippedData({ [key]: value })), 45168, 'keyword in blacklist');
    expect(await remaining(w.s, w.app, w.alice, w.tmpl)).toBe(1);
  });

  test('times, amounts and versions are not links', async () => {
    await grant(w.s, w.app, w.alice, w.tmpl, 2);
    for (const thing2 of ['版本 2.1.0 已发布', '已付 ¥99.00', '15:01 已发货']) {
      const answer = await sendData(shippedData({ thing2 }));
      expect(answer.errcode, answer.raw).toBe(0);
    }
  });

  test('checked before the ban', async () => {
    await w.s.ctx.store.apps.update(w.app.appid, { subscribeBanned: true });
    expectError(await sendData(shippedData({ thing2: '赌博' })), 45168, 'keyword in blacklist');
  });
});

describe("the operator's word list", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-words-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('<data dir>/sensitive-words.txt adds words, read at start', async () => {
    writeFileSync(join(dataDir, 'sensitive-words.txt'), '# our words\n清仓甩卖\n');
    const ctx = testContext();
    ctx.config.dataDir = dataDir;
    const server = await buildServer(ctx, { adminToken: ADMIN_TOKEN, logger: false });
    const other: TestServer = {
      ...w.s,
      app: server,
      ctx,
      clock: ctx.clock,
      tokenFor: async (a) =>
        (
          await server.inject({
            method: 'GET',
            url: '/cgi-bin/token',
            query: { grant_type: 'client_credential', appid: a.appid, secret: a.secret },
          })
        ).json().access_token,
    };
    try {
      const shop = await createApp(ctx, { name: 'Shop', type: 'miniprogram' });
      const template = await addTemplate(other, shop);
      const bob = await signUpRecipient(other, shop, 'bob');
      await grant(other, shop, bob, template);
      const shopToken = await other.tokenFor(shop);
      const post = (thing2: string) =>
        send(other, shopToken, { touser: bob.openid, template_id: template, data: shippedData({ thing2 }) });
      expectError(await post('年终清仓甩卖'), 45168, 'keyword in blacklist');
      expectError(await post('赌博'), 45168, 'keyword in blacklist');
      expect((await post('年终大促')).errcode).toBe(0);
      // The default server (no such file in its data dir) does not know the operator's word.
      expect((await sendData(shippedData({ thing2: '年终清仓甩卖' }))).errcode).toBe(0);
    } finally {
      await server.close();
      await ctx.bus.close();
      await ctx.store.close();
    }
  });
});
