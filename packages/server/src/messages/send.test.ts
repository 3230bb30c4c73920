import { type InboxCard, LANGS, MINIPROGRAM_STATES } from '@beckon/protocol';
import { describe, expect, test } from 'vitest';
import { setPages } from '../apps/service.js';
import { userChannel } from '../gateway/push.js';
import { RID_SUFFIX } from '../test-support/harness.js';
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

/** `POST /cgi-bin/message/subscribe/send`: the answer's exact shape, what is stored, and the early codes. */

const w = useSendWorld();

const body = (overrides: Record<string, unknown> = {}) => ({
  touser: w.alice.openid,
  template_id: w.tmpl,
  data: shippedData(),
  ...overrides,
});

/** A WeChat error answer: HTTP 200, exactly errcode and errmsg, errmsg ending in the request id. */
function expectError(answer: SendAnswer, errcode: number, errmsg?: string) {
  expect(answer.status).toBe(200);
  expect(answer.errcode, answer.raw).toBe(errcode);
  expect(answer.errmsg).toMatch(RID_SUFFIX);
  if (errmsg !== undefined) expect(answer.errmsg.replace(RID_SUFFIX, '')).toBe(errmsg);
  expect(Object.keys(JSON.parse(answer.raw)).sort()).toEqual(['errcode', 'errmsg']);
}

describe('a successful send', () => {
  test('answers exactly {"errcode":0,"errmsg":"ok","msgid":N}, N an exact integer above 2^53', async () => {
    const res = await w.s.app.inject({
      method: 'POST',
      url: `/cgi-bin/message/subscribe/send?access_token=${w.token}`,
      payload: body(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const digits = /^\{"errcode":0,"errmsg":"ok","msgid":(\d+)\}$/.exec(res.body)?.[1];
    expect(digits, res.body).toBeDefined();
    const msgid = BigInt(digits!);
    expect(msgid > 2n ** 53n).toBe(true);
    expect(msgid < 2n ** 63n).toBe(true);
  });

  test('stores the card: rows in template order, title, app name, defaults, and spends the grant', async () => {
    const answer = await send(w.s, w.token, body({ data: shippedData({ thing2: 12, extra9: 'ignored' }) }));
    expect(answer.errcode).toBe(0);
    const stored = await w.s.ctx.store.messages.get(w.alice.userId, answer.msgid!);
    expect(stored).toEqual({
      msgid: answer.msgid,
      appid: w.app.appid,
      userId: w.alice.userId,
      openid: w.alice.openid,
      templateId: w.tmpl,
      appName: 'Test miniprogram',
      title: '订单发货提醒',
      rows: [
        { label: '订单号', value: 'DD2019100100123' },
        { label: '商品名称', value: '12' },
        { label: '快递公司', value: '顺丰速运' },
        { label: '快递单号', value: 'SF1234567890123' },
        { label: '发货时间', value: '2019年10月1日 15:01' },
      ],
      page: null,
      lang: 'zh_CN',
      miniprogramState: 'formal',
      createdAt: w.s.clock.now(),
      readAt: null,
    });
    expect(await remaining(w.s, w.app, w.alice, w.tmpl)).toBe(0);
  });

  test('page, miniprogram_state and lang are stored as sent; null or "" mean the defaults', async () => {
    await grant(w.s, w.app, w.alice, w.tmpl, 2);
    const a = await send(
      w.s,
      w.token,
      body({ page: 'pages/order/detail?id=9&from=msg', miniprogram_state: 'developer', lang: 'en_US' }),
    );
    const stored = await w.s.ctx.store.messages.get(w.alice.userId, a.msgid!);
    expect(stored).toMatchObject({
      page: 'pages/order/detail?id=9&from=msg',
      miniprogramState: 'developer',
      lang: 'en_US',
    });
    for (const empty of [null, '']) {
      const b = await send(w.s, w.token, body({ page: empty, miniprogram_state: empty, lang: empty }));
      expect(b.errcode, b.raw).toBe(0);
      expect(await w.s.ctx.store.messages.get(w.alice.userId, b.msgid!)).toMatchObject({
        page: null,
        miniprogramState: 'formal',
        lang: 'zh_CN',
      });
    }
  });

  test('every miniprogram_state and lang is accepted', async () => {
    await grant(w.s, w.app, w.alice, w.tmpl, MINIPROGRAM_STATES.length + LANGS.length);
    for (const state of MINIPROGRAM_STATES)
      expect((await send(w.s, w.token, body({ miniprogram_state: state }))).errcode).toBe(0);
    for (const lang of LANGS) expect((await send(w.s, w.token, body({ lang }))).errcode).toBe(0);
  });

  test('values are kept as text, markup and all', async () => {
    const answer = await send(w.s, w.token, body({ data: shippedData({ thing2: '<b>耳机</b>&amp;' }) }));
    expect(answer.errcode).toBe(0);
    const stored = await w.s.ctx.store.messages.get(w.alice.userId, answer.msgid!);
    expect(stored!.rows[1]).toEqual({ label: '商品名称', value: '<b>耳机</b>&amp;' });
  });

  test('msgids increase from one send to the next', async () => {
    await grant(w.s, w.app, w.alice, w.tmpl, 2);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await send(w.s, w.token, body())).msgid!);
    expect(ids[1]! > ids[0]!).toBe(true);
    expect(ids[2]! > ids[1]!).toBe(true);
  });

  test("pushes the card on the user's bus channel", async () => {
    const cards: unknown[] = [];
    const stop = await w.s.ctx.bus.subscribe(userChannel(w.alice.userId), (m) => cards.push(m));
    const answer = await send(w.s, w.token, body({ page: '/pages/index/index?x=1', lang: 'zh_TW' }));
    for (let i = 0; i < 50 && cards.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await stop();
    const card: InboxCard = {
      kind: 'template',
      msgid: answer.msgid!.toString(),
      appid: w.app.appid,
      appName: 'Test miniprogram',
      templateId: w.tmpl,
      title: '订单发货提醒',
      rows: (await w.s.ctx.store.messages.get(w.alice.userId, answer.msgid!))!.rows,
      page: '/pages/index/index?x=1',
      lang: 'zh_TW',
      miniprogramState: 'formal',
      createdAt: new Date(w.s.clock.now()).toISOString(),
      read: false,
    };
    expect(cards).toEqual([{ type: 'inbox.card', card }]);
    expect(card.rows).toHaveLength(5);
  });

  test('a long-term template sends while active and spends nothing', async () => {
    const longTerm = await addTemplate(w.s, w.app, 1404, [1, 3]);
    await grant(w.s, w.app, w.alice, longTerm, 1, 3);
    const data = { thing1: { value: '阿莫西林胶囊' }, time3: { value: '08:00' } };
    for (let i = 0; i < 3; i++)
      expect((await send(w.s, w.token, body({ template_id: longTerm, data }))).errcode).toBe(0);
    const [g] = await w.s.ctx.store.consent.grants(w.app.appid, w.alice.userId, [longTerm]);
    expect(g).toMatchObject({ active: true, templateType: 3 });
  });
});

describe('the access token (the shared hook)', () => {
  test('41001 missing, 40001 unknown, 42001 expired; nothing spent', async () => {
    const res = await w.s.app.inject({
      method: 'POST',
      url: '/cgi-bin/message/subscribe/send',
      payload: body(),
    });
    expectError({ ...(res.json() as SendAnswer), status: res.statusCode, raw: res.body }, 41001);
    const unknown = `${w.token.slice(0, -1)}${w.token.endsWith('A') ? 'B' : 'A'}`;
    expectError(await send(w.s, unknown, body()), 40001);
    w.s.clock.advance(7200_000);
    expectError(await send(w.s, w.token, body()), 42001);
    expect(await remaining(w.s, w.app, w.alice, w.tmpl)).toBe(1);
  });
});

describe('template, openid and page', () => {
  test('40037: unknown, another app’s, missing, empty or null template_id', async () => {
    const other = await w.s.newApp();
    const othersTemplate = await addTemplate(w.s, other);
    for (const template_id of ['nope', othersTemplate, undefined, '', null]) {
      expectError(await send(w.s, w.token, body({ template_id })), 40037, 'invalid template_id');
    }
  });

  test('40003: unknown openid, another app’s openid, missing, empty or null touser', async () => {
    const other = await w.s.newApp();
    const bobElsewhere = await signUpRecipient(w.s, other, 'bob');
    for (const touser of ['o_unknown_openid_000000000000', bobElsewhere.openid, undefined, '', null]) {
      expectError(await send(w.s, w.token, body({ touser })), 40003, 'invalid openid');
    }
  });

  test('the template is checked before the openid', async () => {
    expectError(await send(w.s, w.token, body({ touser: undefined, template_id: undefined })), 40037);
    expectError(await send(w.s, w.token, body({ touser: 'x', template_id: 'y' })), 40037);
  });

  test('41030 when the app declared pages and the page is not one of them; a query is allowed', async () => {
    await setPages(w.s.ctx, w.app.appid, ['pages/index/index', 'pages/order/detail']);
    await grant(w.s, w.app, w.alice, w.tmpl, 2);
    for (const page of ['pages/other/other', 'pages/order', 'pages/order/detail/more', 'x'.repeat(2000)]) {
      expectError(await send(w.s, w.token, body({ page })), 41030, 'invalid page');
    }
    expect(await remaining(w.s, w.app, w.alice, w.tmpl)).toBe(3);
    for (const page of ['pages/order/detail?id=1', '/pages/index/index']) {
      expect((await send(w.s, w.token, body({ page }))).errcode).toBe(0);
    }
  });

  test('no page check when the app declared none', async () => {
    expect((await send(w.s, w.token, body({ page: 'anything/at/all?q=1' }))).errcode).toBe(0);
  });

  test('the page is checked after the openid and before the data', async () => {
    await setPages(w.s.ctx, w.app.appid, ['pages/index/index']);
    expectError(await send(w.s, w.token, body({ touser: 'nobody', page: 'bad' })), 40003);
    expectError(await send(w.s, w.token, body({ page: 'bad', data: {} })), 41030);
  });
});

describe('the body', () => {
  test('44002 for no body at all', async () => {
    expectError(await send(w.s, w.token, undefined), 44002, 'empty post data');
    expectError(await send(w.s, w.token, '   ', 'text/plain'), 44002);
  });

  test('47001 for a body that is not JSON or not an object', async () => {
    for (const raw of ['{"touser":', 'touser=abc', '[1,2]', '"text"', '42']) {
      expectError(await send(w.s, w.token, raw), 47001);
    }
  });

  test('47001 naming the field for a wrong type', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ touser: 123 }, 'touser'],
      [{ template_id: ['a'] }, 'template_id'],
      [{ page: 5 }, 'page'],
      [{ miniprogram_state: 'production' }, 'miniprogram_state'],
      [{ lang: 'fr_FR' }, 'lang'],
      [{ lang: 1 }, 'lang'],
    ];
    for (const [fields, name] of cases) {
      const answer = await send(w.s, w.token, body(fields));
      expectError(answer, 47001);
      expect(answer.errmsg).toMatch(new RegExp(`^data format error: body/${name} `));
    }
    expect(await remaining(w.s, w.app, w.alice, w.tmpl)).toBe(1);
  });

  test('JSON labelled as text or as a form is read as JSON (SDKs send it so)', async () => {
    expect((await send(w.s, w.token, JSON.stringify(body()), 'text/plain')).errcode).toBe(0);
  });
});
