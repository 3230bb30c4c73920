import { Errors } from '@beckon/protocol';
import { expect, test } from 'vitest';
import { storeBannedTemplate } from '../test-support/harness.js';
import { addTemplate, useConsentWorld } from './test-support/shell.js';

const w = useConsentWorld();

async function page(appid = w.app.appid, token = w.alice.token) {
  return w.s.app.inject({
    method: 'GET',
    url: `/api/apps/${appid}/settings/page`,
    headers: { authorization: `Bearer ${token}` },
  });
}

test('lists what getSetting lists, each kept template with its title', async () => {
  const first = await page();
  expect(first.statusCode, first.body).toBe(200);
  expect(first.json()).toEqual({
    appid: w.app.appid,
    appName: 'Test miniprogram',
    mainSwitch: true,
    templates: [],
    systemTypes: [],
  });

  const [a, b, once] = [
    await addTemplate(w.s, w.app, 1101),
    await addTemplate(w.s, w.app, 1102),
    await addTemplate(w.s, w.app, 1103),
  ];
  await w.c.subscribe(w.app.appid, { tmplIds: [once], accepted: [once] });
  await w.c.subscribe(w.app.appid, { tmplIds: [a, b], accepted: [a], keepChoice: true });
  await storeBannedTemplate(w.s, w.app.appid, 'banned-template-id');
  await w.c.changeSettings(w.app.appid, {
    mainSwitch: false,
    itemSettings: { 'banned-template-id': 'accept' },
  });

  const settings = (await w.c.settings(w.app.appid)).json();
  const body = (await page()).json();
  expect(body.mainSwitch).toBe(false);
  expect(Object.fromEntries(body.templates.map((t: { templateId: string }) => [t.templateId, t]))).toEqual({
    [a]: { templateId: a, title: expect.any(String), type: 2, setting: 'accept' },
    [b]: { templateId: b, title: expect.any(String), type: 2, setting: 'reject' },
    'banned-template-id': {
      templateId: 'banned-template-id',
      title: '优惠券到期提醒',
      type: 2,
      setting: 'ban',
    },
  });
  expect(body.templates.map((t: { templateId: string }) => t.templateId).sort()).toEqual(
    Object.keys(settings.subscriptionsSetting.itemSettings).sort(),
  );
  expect(body.templates[0].title).not.toBe(body.templates[1].title);
});

test('needs a session; an unknown app is 404 in the default shape', async () => {
  const anonymous = await w.s.app.inject({ method: 'GET', url: `/api/apps/${w.app.appid}/settings/page` });
  expect(anonymous.statusCode).toBe(401);
  expect(anonymous.json().errcode).toBe(Errors.SESSION_INVALID.code);
  const unknown = await page('wx0000000000000000');
  expect(unknown.statusCode).toBe(404);
  expect(unknown.json().errcode).toBe(Errors.APP_NOT_FOUND.code);
});
