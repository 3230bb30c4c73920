import { ApiError, Errors } from '@beckon/protocol';
import { describe, expect, test } from 'vitest';
import { RID_SUFFIX as RID, storeBannedTemplate } from '../test-support/harness.js';
import { grantsOf, stopTemplate } from './settings.js';
import { addTemplate, useConsentWorld } from './test-support/shell.js';

const w = useConsentWorld();

async function settings(appid = w.app.appid) {
  const res = await w.c.settings(appid);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
async function change(body: Record<string, unknown>) {
  const res = await w.c.changeSettings(w.app.appid, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
async function subscribe(body: Record<string, unknown>, appid = w.app.appid) {
  const res = await w.c.subscribe(appid, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
async function grant(templateId: string, appid = w.app.appid) {
  return (await grantsOf(w.s.ctx, appid, w.alice.userId)).find((g) => g.templateId === templateId);
}
const log = async () =>
  (await w.s.ctx.store.consent.changes(0, 1000)).map((c) => [c.templateId, c.status, c.source]);
const setting = (subscriptionsSetting: object) => ({ errMsg: 'getSetting:ok', subscriptionsSetting });

describe('getSetting', () => {
  test('before any choice just {mainSwitch: true}; itemSettings lists only remembered templates', async () => {
    expect(await settings()).toEqual(setting({ mainSwitch: true }));
    const [a, b, c2] = [
      await addTemplate(w.s, w.app, 1101),
      await addTemplate(w.s, w.app, 1102),
      await addTemplate(w.s, w.app, 1103),
    ];
    await subscribe({ tmplIds: [c2], accepted: [c2] });
    expect(await settings()).toEqual(setting({ mainSwitch: true }));
    await subscribe({ tmplIds: [a, b], accepted: [a], keepChoice: true });
    expect(await settings()).toEqual(
      setting({ mainSwitch: true, itemSettings: { [a]: 'accept', [b]: 'reject' } }),
    );
  });

  test('a remembered template whose title is now banned shows ban; a deleted one is gone', async () => {
    const a = await addTemplate(w.s, w.app, 1101);
    await storeBannedTemplate(w.s, w.app.appid, 'banned-template-id');
    await change({ itemSettings: { 'banned-template-id': 'accept', [a]: 'accept' } });
    expect((await settings()).subscriptionsSetting.itemSettings).toEqual({
      'banned-template-id': 'ban',
      [a]: 'accept',
    });
    await w.s.ctx.store.templates.remove(w.app.appid, a);
    expect(await settings()).toEqual(
      setting({ mainSwitch: true, itemSettings: { 'banned-template-id': 'ban' } }),
    );
  });

  test('unknown app: 404 in the default shape', async () => {
    for (const res of [
      await w.c.settings('wx0000000000000000'),
      await w.c.changeSettings('wx0000000000000000', {}),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ errcode: Errors.APP_NOT_FOUND.code, errmsg: expect.stringMatching(RID) });
    }
  });
});

describe('the settings page', () => {
  test('switching a template off zeroes its grants; switching it back on restores nothing', async () => {
    const a = await addTemplate(w.s, w.app, 1101);
    const b = await addTemplate(w.s, w.app, 1102);
    for (let i = 0; i < 3; i++) await subscribe({ tmplIds: [a, b], accepted: [a, b] });
    expect(await change({ itemSettings: { [a]: 'reject' } })).toEqual(
      setting({ mainSwitch: true, itemSettings: { [a]: 'reject' } }),
    );
    expect(await grant(a)).toMatchObject({ remaining: 0, status: 'reject', keepChoice: true });
    expect(await grant(b)).toMatchObject({ remaining: 3 });
    // Remembered: the next request answers reject without asking, and grants nothing.
    expect(await subscribe({ tmplIds: [a], accepted: [a] })).toEqual({
      errMsg: 'requestSubscribeMessage:ok',
      [a]: 'reject',
    });

    expect(await change({ itemSettings: { [a]: 'accept' } })).toEqual(
      setting({ mainSwitch: true, itemSettings: { [a]: 'accept' } }),
    );
    expect(await grant(a)).toMatchObject({ remaining: 0, status: 'accept' });
    // A new (silent) subscription is what grants again.
    await subscribe({ tmplIds: [a] });
    expect((await grant(a))!.remaining).toBe(1);
    expect((await log()).slice(6)).toEqual([
      [a, 'reject', 'settings'],
      [a, 'reject', 'silent'],
      [a, 'accept', 'settings'],
      [a, 'accept', 'silent'],
    ]);
  });

  test('a long-term template switched off is deactivated, and stays so when switched on', async () => {
    const a = await addTemplate(w.s, w.app, 1402);
    await subscribe({ tmplIds: [a], accepted: [a] });
    expect((await grant(a))!.active).toBe(true);
    await change({ itemSettings: { [a]: 'reject' } });
    expect((await grant(a))!.active).toBe(false);
    await change({ itemSettings: { [a]: 'accept' } });
    expect(await grant(a)).toMatchObject({ active: false, status: 'accept', templateType: 3 });
  });

  test('a setting that is already so is not logged again', async () => {
    const a = await addTemplate(w.s, w.app, 1101);
    await change({ itemSettings: { [a]: 'reject' } });
    await change({ itemSettings: { [a]: 'reject' } });
    await change({ itemSettings: { [a]: 'accept' } });
    await change({ itemSettings: { [a]: 'accept' } });
    await change({ mainSwitch: true });
    expect(await log()).toEqual([
      [a, 'reject', 'settings'],
      [a, 'accept', 'settings'],
    ]);
  });

  test('main switch off zeroes every grant of the app (only), refuses requests with 20004; on restores nothing', async () => {
    const [a, b] = [await addTemplate(w.s, w.app, 1101), await addTemplate(w.s, w.app, 1402)];
    const other = await w.s.newApp();
    const theirs = await addTemplate(w.s, other, 1101);
    await subscribe({ tmplIds: [a], accepted: [a], keepChoice: true });
    await subscribe({ tmplIds: [a] });
    await subscribe({ tmplIds: [b], accepted: [b] });
    await subscribe({ tmplIds: [theirs], accepted: [theirs] }, other.appid);

    expect(await change({ mainSwitch: false })).toEqual(
      setting({ mainSwitch: false, itemSettings: { [a]: 'accept' } }),
    );
    expect(await grant(a)).toMatchObject({ remaining: 0, status: 'accept' });
    expect(await grant(b)).toMatchObject({ active: false });
    expect(await grant(theirs, other.appid)).toMatchObject({ remaining: 1 });
    expect(await settings(other.appid)).toEqual(setting({ mainSwitch: true }));
    expect((await log()).slice(4)).toEqual(
      [
        [a, 'reject', 'main-switch'],
        [b, 'reject', 'main-switch'],
      ].sort(),
    );

    const refused = {
      errCode: 20004,
      errMsg: `requestSubscribeMessage:fail ${Errors.MAIN_SWITCH_OFF.message}`,
    };
    expect((await w.c.prepare(w.app.appid, { tmplIds: [a] })).json()).toEqual(refused);
    const res = await w.c.subscribe(w.app.appid, { tmplIds: [a] });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual(refused);

    expect(await change({ mainSwitch: true })).toEqual(
      setting({ mainSwitch: true, itemSettings: { [a]: 'accept' } }),
    );
    expect((await grant(a))!.remaining).toBe(0);
    expect((await grant(b))!.active).toBe(false);
    await subscribe({ tmplIds: [a] });
    expect((await grant(a))!.remaining).toBe(1);
  });

  test('an id that is not one of the app’s templates is 20001 and nothing is written', async () => {
    const a = await addTemplate(w.s, w.app, 1101);
    await subscribe({ tmplIds: [a], accepted: [a] });
    const res = await w.c.changeSettings(w.app.appid, {
      mainSwitch: false,
      itemSettings: { [a]: 'reject', nope: 'reject' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      errCode: 20001,
      errMsg: 'openSetting:fail No template data return, verify the template id exist',
    });
    expect(await grant(a)).toMatchObject({ remaining: 1, keepChoice: false });
    expect(await settings()).toEqual(setting({ mainSwitch: true }));
  });

  test('a malformed change is the shell’s fault: 91000 in the default shape', async () => {
    const a = await addTemplate(w.s, w.app, 1101);
    for (const body of [
      { mainSwitch: 'off' },
      { itemSettings: { [a]: 'ban' } },
      { itemSettings: [a] },
      { other: true },
    ]) {
      const res = await w.c.changeSettings(w.app.appid, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toEqual({
        errcode: Errors.INVALID_REQUEST.code,
        errmsg: expect.stringMatching(RID),
      });
    }
    expect(await log()).toEqual([]);
  });
});

describe('stopTemplate (a card’s “stop receiving”)', () => {
  test('rejects and remembers the template, zeroes its grants, logs source card', async () => {
    const a = await addTemplate(w.s, w.app, 1101);
    await subscribe({ tmplIds: [a], accepted: [a] });
    await subscribe({ tmplIds: [a], accepted: [a] });
    const change = await stopTemplate(w.s.ctx, { appid: w.app.appid, userId: w.alice.userId, templateId: a });
    expect(change).toEqual({
      id: 3,
      appid: w.app.appid,
      userId: w.alice.userId,
      templateId: a,
      status: 'reject',
      source: 'card',
      at: w.s.clock.now(),
    });
    expect(await grant(a)).toMatchObject({ remaining: 0, status: 'reject', keepChoice: true });
    expect(await settings()).toEqual(setting({ mainSwitch: true, itemSettings: { [a]: 'reject' } }));
  });

  test('a template the app deleted is still stopped; one the user never had is 40037', async () => {
    const a = await addTemplate(w.s, w.app, 1402);
    await subscribe({ tmplIds: [a], accepted: [a] });
    await w.s.ctx.store.templates.remove(w.app.appid, a);
    await stopTemplate(w.s.ctx, { appid: w.app.appid, userId: w.alice.userId, templateId: a });
    expect(await grant(a)).toMatchObject({ active: false, status: 'reject', templateType: 3 });
    const unknown = stopTemplate(w.s.ctx, { appid: w.app.appid, userId: w.alice.userId, templateId: 'nope' });
    await expect(unknown).rejects.toBeInstanceOf(ApiError);
    await expect(unknown).rejects.toMatchObject({ code: Errors.INVALID_TEMPLATE_ID.code });
  });
});
