import { describe, expect, test } from 'vitest';
import type { GrantRecord } from '../store/port.js';
import { storeBannedTemplate } from '../test-support/harness.js';
import { grantsOf } from './settings.js';
import { addTemplate, consentClient, signUp, useConsentWorld } from './test-support/shell.js';

const w = useConsentWorld();

const OK = { errMsg: 'requestSubscribeMessage:ok' } as const;

async function subscribe(body: Record<string, unknown>, client = w.c) {
  const res = await client.subscribe(w.app.appid, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
async function prepare(tmplIds: string[], client = w.c) {
  const res = await client.prepare(w.app.appid, { tmplIds });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
async function grant(templateId: string, userId = w.alice.userId): Promise<GrantRecord | undefined> {
  return (await grantsOf(w.s.ctx, w.app.appid, userId)).find((g) => g.templateId === templateId);
}
const sources = async () =>
  (await w.s.ctx.store.consent.changes(0, 1000)).map((c) => [c.templateId, c.status, c.source, c.userId]);

describe('the dialog', () => {
  test('shows the app name and each template’s title, type and keywords; nothing remembered is asked', async () => {
    const a = await addTemplate(w.s, w.app, 1101, [3, 1]);
    const b = await addTemplate(w.s, w.app, 1102);
    expect(await prepare([a, b])).toEqual({
      appid: w.app.appid,
      appName: 'Test miniprogram',
      silent: false,
      templates: [
        {
          templateId: a,
          title: '订单发货提醒',
          type: 2,
          keywords: [
            { name: '快递公司', example: expect.any(String) },
            { name: '订单号', example: 'DD2019100100123' },
          ],
          status: 'ask',
        },
        { templateId: b, title: '订单支付成功通知', type: 2, keywords: expect.any(Array), status: 'ask' },
      ],
    });
    // Preparing records nothing.
    expect(await w.s.ctx.store.consent.changes(0, 100)).toEqual([]);
  });

  test('a duplicate title is filter (the first id of each title stays), a banned title is ban', async () => {
    const a = await addTemplate(w.s, w.app, 1101, [1, 2]);
    const twin = await addTemplate(w.s, w.app, 1101, [3, 4]);
    // A template added before its library title was banned (addtemplate refuses banned titles now).
    const banned = 'banned-template-id';
    await storeBannedTemplate(w.s, w.app.appid, banned);
    const dialog = await prepare([twin, a, banned]);
    expect(
      dialog.templates.map((t: { templateId: string; status: string }) => [t.templateId, t.status]),
    ).toEqual([
      [twin, 'ask'],
      [a, 'filter'],
      [banned, 'ban'],
    ]);
    expect(await subscribe({ tmplIds: [twin, a, banned], accepted: [twin, a, banned] })).toEqual({
      ...OK,
      [twin]: 'accept',
      [a]: 'filter',
      [banned]: 'ban',
    });
    // Filtered and banned templates are answered, never recorded.
    expect((await grantsOf(w.s.ctx, w.app.appid, w.alice.userId)).map((g) => g.templateId)).toEqual([twin]);
    expect(await sources()).toEqual([[twin, 'accept', 'popup', w.alice.userId]]);
    // Only banned or filtered: nothing to ask.
    expect((await prepare([banned])).silent).toBe(true);
  });
});

describe('answers', () => {
  test('ticked ids are accepted, the others rejected; only the requested ids are keys', async () => {
    const [a, b, unrequested] = [
      await addTemplate(w.s, w.app, 1101),
      await addTemplate(w.s, w.app, 1102),
      await addTemplate(w.s, w.app, 1103),
    ];
    expect(await subscribe({ tmplIds: [a, b], accepted: [a] })).toEqual({
      ...OK,
      [a]: 'accept',
      [b]: 'reject',
    });
    expect(await grant(a)).toMatchObject({
      remaining: 1,
      status: 'accept',
      keepChoice: false,
      templateType: 2,
    });
    expect(await grant(b)).toMatchObject({ remaining: 0, status: 'reject', keepChoice: false });
    expect(await grant(unrequested)).toBeUndefined();
    expect(await sources()).toEqual([
      [a, 'accept', 'popup', w.alice.userId],
      [b, 'reject', 'popup', w.alice.userId],
    ]);
  });

  test('each accept adds one send: three accepts, remaining 3; a later reject takes none away', async () => {
    const a = await addTemplate(w.s, w.app, 1101);
    for (let i = 0; i < 3; i++)
      expect(await subscribe({ tmplIds: [a], accepted: [a] })).toEqual({ ...OK, [a]: 'accept' });
    expect((await grant(a))!.remaining).toBe(3);
    expect(await subscribe({ tmplIds: [a], accepted: [] })).toEqual({ ...OK, [a]: 'reject' });
    expect(await grant(a)).toMatchObject({ remaining: 3, status: 'reject' });
  });

  test('a repeated id is one template, answered and counted once', async () => {
    const a = await addTemplate(w.s, w.app, 1101);
    expect(await subscribe({ tmplIds: [a, a], accepted: [a] })).toEqual({ ...OK, [a]: 'accept' });
    expect((await grant(a))!.remaining).toBe(1);
  });

  test('a long-term accept activates the template; no count', async () => {
    const a = await addTemplate(w.s, w.app, 1402);
    const b = await addTemplate(w.s, w.app, 1403);
    expect(await subscribe({ tmplIds: [a, b], accepted: [a] })).toEqual({
      ...OK,
      [a]: 'accept',
      [b]: 'reject',
    });
    expect(await grant(a)).toMatchObject({ templateType: 3, active: true, remaining: 0 });
    expect(await grant(b)).toMatchObject({ templateType: 3, active: false, remaining: 0 });
  });

  test('50 concurrent subscribe calls: remaining exactly 50', async () => {
    const a = await addTemplate(w.s, w.app, 1101);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => w.c.subscribe(w.app.appid, { tmplIds: [a], accepted: [a] })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
    expect((await grant(a))!.remaining).toBe(50);
    expect(await w.s.ctx.store.consent.changes(0, 1000)).toHaveLength(50);
  });
});

describe('always keep my choice', () => {
  test('remembered ids are answered silently and every silent accept still adds one send', async () => {
    const [a, b] = [await addTemplate(w.s, w.app, 1101), await addTemplate(w.s, w.app, 1102)];
    expect(await subscribe({ tmplIds: [a, b], accepted: [a], keepChoice: true })).toEqual({
      ...OK,
      [a]: 'accept',
      [b]: 'reject',
    });
    const dialog = await prepare([a, b]);
    expect(dialog.silent).toBe(true);
    expect(dialog.templates.map((t: { status: string }) => t.status)).toEqual(['accept', 'reject']);

    // `accepted` is ignored for remembered ids: the remembered decision answers.
    for (let i = 0; i < 2; i++) {
      expect(await subscribe({ tmplIds: [a, b], accepted: [b] })).toEqual({
        ...OK,
        [a]: 'accept',
        [b]: 'reject',
      });
    }
    expect(await grant(a)).toMatchObject({ remaining: 3, keepChoice: true, status: 'accept' });
    expect(await grant(b)).toMatchObject({ remaining: 0, keepChoice: true, status: 'reject' });
    expect(await sources()).toEqual([
      [a, 'accept', 'popup', w.alice.userId],
      [b, 'reject', 'popup', w.alice.userId],
      [a, 'accept', 'silent', w.alice.userId],
      [b, 'reject', 'silent', w.alice.userId],
      [a, 'accept', 'silent', w.alice.userId],
      [b, 'reject', 'silent', w.alice.userId],
    ]);
  });

  test('keep-choice with nothing accepted remembers every asked template as reject', async () => {
    const [a, b] = [await addTemplate(w.s, w.app, 1101), await addTemplate(w.s, w.app, 1102)];
    expect(await subscribe({ tmplIds: [a, b], accepted: [], keepChoice: true })).toEqual({
      ...OK,
      [a]: 'reject',
      [b]: 'reject',
    });
    expect((await prepare([a, b])).silent).toBe(true);
    expect(await subscribe({ tmplIds: [a, b], accepted: [a, b] })).toEqual({
      ...OK,
      [a]: 'reject',
      [b]: 'reject',
    });
    expect(await grant(a)).toMatchObject({ remaining: 0, keepChoice: true, status: 'reject' });
  });

  test('a remembered id and a new one: the new one is asked, the remembered one answered silently', async () => {
    const [a, b] = [await addTemplate(w.s, w.app, 1101), await addTemplate(w.s, w.app, 1102)];
    await subscribe({ tmplIds: [a], accepted: [a], keepChoice: true });
    const dialog = await prepare([a, b]);
    expect(dialog.silent).toBe(false);
    expect(dialog.templates.map((t: { status: string }) => t.status)).toEqual(['accept', 'ask']);
    // keepChoice unticked this time: b is not remembered, a stays remembered.
    expect(await subscribe({ tmplIds: [a, b], accepted: [b], keepChoice: false })).toEqual({
      ...OK,
      [a]: 'accept',
      [b]: 'accept',
    });
    expect(await grant(a)).toMatchObject({ remaining: 2, keepChoice: true });
    expect(await grant(b)).toMatchObject({ remaining: 1, keepChoice: false });
    expect((await sources()).map(([id, , source]) => [id, source])).toEqual([
      [a, 'popup'],
      [a, 'silent'],
      [b, 'popup'],
    ]);
  });
});

describe('one user’s ledger', () => {
  test('another user’s session never touches this user’s grants or remembered choices', async () => {
    const a = await addTemplate(w.s, w.app, 1101);
    await subscribe({ tmplIds: [a], accepted: [a], keepChoice: true });
    const bobUser = await signUp(w.s, 'bob');
    const bob = consentClient(w.s, bobUser);
    // Bob is asked: Alice's keep-choice is hers.
    expect((await prepare([a], bob)).templates[0].status).toBe('ask');
    await subscribe({ tmplIds: [a], accepted: [], keepChoice: true }, bob);
    await bob.changeSettings(w.app.appid, { mainSwitch: false });
    expect(await grant(a)).toMatchObject({ remaining: 1, status: 'accept', keepChoice: true });
    expect(await grant(a, bobUser.userId)).toMatchObject({ remaining: 0, status: 'reject' });
    expect(await w.s.ctx.store.consent.mainSwitch(w.app.appid, w.alice.userId)).toBe(true);
    expect((await prepare([a])).silent).toBe(true);
    expect(await subscribe({ tmplIds: [a] })).toEqual({ ...OK, [a]: 'accept' });
    expect((await grant(a))!.remaining).toBe(2);
  });
});
