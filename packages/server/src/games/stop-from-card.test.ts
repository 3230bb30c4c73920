import { expect, test } from 'vitest';
import { addLibraryTemplate } from '../test-support/harness.js';
import { acceptTypes, useGameWorld } from './test-support/game-world.js';

// A system card's "…" menu: stop receiving (messages/inbox.ts stopFromCard) switches that system type off.

const w = useGameWorld();
const WHATS_NEW = 'SYS_MSG_TYPE_WHATS_NEW';
const RANK = 'SYS_MSG_TYPE_RANK';

async function publish(version: string) {
  const res = await w.s.app.inject({
    method: 'POST',
    url: `/beckon/game-updates?access_token=${await w.s.tokenFor(w.game)}`,
    payload: { version, phrases: ['新增关卡'] },
  });
  return res.json().reminded as number;
}

test('stopping a system card switches its type off for the user: kept, listed, and no more cards', async () => {
  await acceptTypes(w.alice, w.game.appid, [WHATS_NEW, RANK]);
  await acceptTypes(w.bob, w.game.appid, [WHATS_NEW]);
  expect(await publish('1.0')).toBe(2);
  const [card] = await w.alice.c.inbox();
  expect(card?.kind).toBe('system');

  const stop = await w.alice.c.call('POST', `/api/inbox/${card!.msgid}/stop`);
  expect(stop.statusCode).toBe(200);
  expect(stop.json()).toEqual({ stopped: true, templateId: WHATS_NEW });
  expect((await w.alice.c.settings(w.game.appid)).json().subscriptionsSetting.itemSettings).toEqual({
    [RANK]: 'accept',
    [WHATS_NEW]: 'reject',
  });
  // Kept: the game's silent request is answered reject without a dialog.
  const dialog = (await w.alice.c.prepare(w.game.appid, { msgTypeList: [WHATS_NEW] })).json();
  expect(dialog.silent).toBe(true);
  // The card stays; the next day's update reminds bob only. No template grant or consent log was touched.
  w.s.clock.advance(86_400_000);
  expect(await publish('1.1')).toBe(1);
  expect((await w.alice.c.inbox()).map((c) => c.msgid)).toEqual([card!.msgid]);
  expect(await w.s.ctx.store.consent.changes(0, 100)).toEqual([]);
});

test('a mini game’s getSetting lists system types and kept templates together', async () => {
  const tmpl = await addLibraryTemplate(w.s, w.game, 1101, [1, 2]);
  await w.alice.c.call('POST', `/api/apps/${w.game.appid}/subscriptions`, {
    tmplIds: [tmpl],
    accepted: [tmpl],
    keepChoice: true,
  });
  await acceptTypes(w.alice, w.game.appid, [RANK]);
  expect((await w.alice.c.settings(w.game.appid)).json().subscriptionsSetting).toEqual({
    mainSwitch: true,
    itemSettings: { [RANK]: 'accept', [tmpl]: 'accept' },
  });
  // The settings page sets both kinds in one request.
  const res = await w.alice.c.changeSettings(w.game.appid, {
    itemSettings: { [RANK]: 'reject', [tmpl]: 'reject' },
  });
  expect(res.json().subscriptionsSetting.itemSettings).toEqual({ [RANK]: 'reject', [tmpl]: 'reject' });
});
