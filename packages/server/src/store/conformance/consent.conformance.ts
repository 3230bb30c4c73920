import { describe, expect, test } from 'vitest';
import type { DecisionInput, MessageRecord, Store } from '../port.js';
import { appAndUser, appRecord, type StoreFixture, T0, tally, userRecord } from './fixture.conformance.js';

const ONE_TIME = 'tmpl-one-time';
const LONG_TERM = 'tmpl-long-term';

const accept = (templateId = ONE_TIME, over: Partial<DecisionInput> = {}): DecisionInput => ({
  templateId,
  templateType: templateId === LONG_TERM ? 3 : 2,
  status: 'accept',
  source: 'popup',
  ...over,
});
const reject = (templateId = ONE_TIME, over: Partial<DecisionInput> = {}): DecisionInput =>
  accept(templateId, { status: 'reject', ...over });

/** A message to `deliver`; msgids above 2^53, as the send pipeline makes them. */
function message(appid: string, userId: string, templateId: string, n: number): MessageRecord {
  return {
    msgid: 2n ** 60n + BigInt(n),
    appid,
    userId,
    openid: 'o-conformance',
    templateId,
    appName: 'Conformance app',
    title: '订单发货提醒',
    rows: [{ label: '商品名称', value: '咖啡豆' }],
    page: null,
    lang: 'zh_CN',
    miniprogramState: 'formal',
    createdAt: T0,
    readAt: null,
  };
}
const DAY = '2026-01-01';
const NO_CAP = 1_000_000_000;

async function grantOf(store: Store, appid: string, userId: string, templateId = ONE_TIME) {
  const [grant] = await store.consent.grants(appid, userId, [templateId]);
  return grant;
}

/** ConsentStore: the ledger of grants, keep-choice, main switch and the change log; and sends spending it. */
export function consentConformance(f: StoreFixture): void {
  describe('consent', () => {
    test('a user who answered nothing has no grants and the main switch on', async () => {
      const { app, user } = await appAndUser(f.store);
      expect(await f.store.consent.grants(app.appid, user.id)).toEqual([]);
      expect(await f.store.consent.grants(app.appid, user.id, [ONE_TIME])).toEqual([]);
      expect(await f.store.consent.mainSwitch(app.appid, user.id)).toBe(true);
      expect(await f.store.consent.changes(0, 100)).toEqual([]);
    });

    test('accept adds one send to a one-time template and activates a long-term one', async () => {
      const { app, user } = await appAndUser(f.store);
      const changes = await f.store.consent.recordDecisions(
        app.appid,
        user.id,
        [accept(ONE_TIME), accept(LONG_TERM, { source: 'silent' })],
        T0 + 1,
      );
      expect(changes).toEqual([
        {
          id: expect.any(Number),
          appid: app.appid,
          userId: user.id,
          templateId: ONE_TIME,
          status: 'accept',
          source: 'popup',
          at: T0 + 1,
        },
        {
          id: expect.any(Number),
          appid: app.appid,
          userId: user.id,
          templateId: LONG_TERM,
          status: 'accept',
          source: 'silent',
          at: T0 + 1,
        },
      ]);
      expect(changes[1]!.id).toBeGreaterThan(changes[0]!.id);
      const base = {
        appid: app.appid,
        userId: user.id,
        status: 'accept',
        keepChoice: false,
        updatedAt: T0 + 1,
      };
      expect(await f.store.consent.grants(app.appid, user.id)).toEqual([
        { ...base, templateId: LONG_TERM, templateType: 3, remaining: 0, active: true },
        { ...base, templateId: ONE_TIME, templateType: 2, remaining: 1, active: false },
      ]);
    });

    test('accepts accumulate; a reject takes no earlier grant away', async () => {
      const { app, user } = await appAndUser(f.store);
      for (let i = 0; i < 3; i++)
        await f.store.consent.recordDecisions(app.appid, user.id, [accept()], T0 + i);
      await f.store.consent.recordDecisions(app.appid, user.id, [reject(), reject(LONG_TERM)], T0 + 5);
      expect(await grantOf(f.store, app.appid, user.id)).toMatchObject({
        remaining: 3,
        status: 'reject',
        updatedAt: T0 + 5,
      });
      // A reject of a template never accepted still leaves a row: the decision (and keep-choice) is kept.
      expect(await grantOf(f.store, app.appid, user.id, LONG_TERM)).toMatchObject({
        remaining: 0,
        active: false,
        status: 'reject',
      });
      await f.store.consent.recordDecisions(app.appid, user.id, [accept()], T0 + 6);
      expect(await grantOf(f.store, app.appid, user.id)).toMatchObject({ remaining: 4, status: 'accept' });
    });

    test('keepChoice: true remembers, undefined leaves it, false forgets', async () => {
      const { app, user } = await appAndUser(f.store);
      const keep = async (keepChoice: boolean | undefined) => {
        await f.store.consent.recordDecisions(app.appid, user.id, [accept(ONE_TIME, { keepChoice })], T0);
        return (await grantOf(f.store, app.appid, user.id))!.keepChoice;
      };
      expect(await keep(undefined)).toBe(false);
      expect(await keep(true)).toBe(true);
      expect(await keep(undefined)).toBe(true);
      expect(await keep(false)).toBe(false);
      expect((await grantOf(f.store, app.appid, user.id))!.remaining).toBe(4);
    });

    test('200 concurrent accepts of one template: remaining is exactly 200, 200 changes logged', async () => {
      const { app, user } = await appAndUser(f.store);
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          f.store.consent.recordDecisions(app.appid, user.id, [accept()], T0 + i),
        ),
      );
      expect((await grantOf(f.store, app.appid, user.id))!.remaining).toBe(200);
      const ids = results.flat().map((c) => c.id);
      expect(new Set(ids).size).toBe(200);
      expect(await f.store.consent.changes(0, 1000)).toHaveLength(200);
    });

    test('grants are per app and per user, and filtered by template ids', async () => {
      const { app, user } = await appAndUser(f.store);
      const other = userRecord();
      await f.store.accounts.createUser(other);
      const otherApp = appRecord();
      await f.store.apps.create(otherApp);
      await f.store.consent.recordDecisions(app.appid, user.id, [accept(), accept(LONG_TERM)], T0);
      await f.store.consent.recordDecisions(app.appid, other.id, [accept()], T0);
      await f.store.consent.recordDecisions(otherApp.appid, user.id, [accept(), accept()], T0);
      expect((await f.store.consent.grants(app.appid, user.id)).map((g) => g.templateId)).toEqual([
        LONG_TERM,
        ONE_TIME,
      ]);
      expect(await f.store.consent.grants(app.appid, user.id, [LONG_TERM, 'unknown'])).toHaveLength(1);
      expect(await f.store.consent.grants(app.appid, user.id, [])).toEqual([]);
      expect((await grantOf(f.store, app.appid, other.id))!.remaining).toBe(1);
      expect((await grantOf(f.store, otherApp.appid, user.id))!.remaining).toBe(2);
    });

    test('setTemplate reject zeroes and deactivates; accept restores nothing; both are remembered', async () => {
      const { app, user } = await appAndUser(f.store);
      await f.store.consent.recordDecisions(app.appid, user.id, [accept(), accept(), accept(LONG_TERM)], T0);
      for (const id of [ONE_TIME, LONG_TERM]) {
        const type = id === LONG_TERM ? 3 : 2;
        const change = await f.store.consent.setTemplate(
          app.appid,
          user.id,
          id,
          type,
          'reject',
          'settings',
          T0 + 1,
        );
        expect(change).toEqual({
          id: expect.any(Number),
          appid: app.appid,
          userId: user.id,
          templateId: id,
          status: 'reject',
          source: 'settings',
          at: T0 + 1,
        });
        expect(await grantOf(f.store, app.appid, user.id, id)).toMatchObject({
          remaining: 0,
          active: false,
          status: 'reject',
          keepChoice: true,
        });
        await f.store.consent.setTemplate(app.appid, user.id, id, type, 'accept', 'card', T0 + 2);
        expect(await grantOf(f.store, app.appid, user.id, id)).toMatchObject({
          remaining: 0,
          active: false,
          status: 'accept',
          keepChoice: true,
          updatedAt: T0 + 2,
        });
      }
      // A template never answered gets a remembered row that grants nothing.
      await f.store.consent.setTemplate(app.appid, user.id, 'fresh', 2, 'accept', 'settings', T0 + 3);
      expect(await grantOf(f.store, app.appid, user.id, 'fresh')).toMatchObject({
        remaining: 0,
        status: 'accept',
        keepChoice: true,
      });
      // accept on a template with sends left keeps them.
      await f.store.consent.recordDecisions(app.appid, user.id, [accept()], T0 + 4);
      await f.store.consent.setTemplate(app.appid, user.id, ONE_TIME, 2, 'accept', 'settings', T0 + 5);
      expect((await grantOf(f.store, app.appid, user.id))!.remaining).toBe(1);
      expect((await f.store.consent.changes(0, 100)).map((c) => c.source)).toEqual([
        'popup',
        'popup',
        'popup',
        'settings',
        'card',
        'settings',
        'card',
        'settings',
        'popup',
        'settings',
      ]);
    });

    test('main switch off zeroes every grant of that app and user only; on restores nothing', async () => {
      const { app, user } = await appAndUser(f.store);
      const other = userRecord();
      await f.store.accounts.createUser(other);
      const otherApp = appRecord();
      await f.store.apps.create(otherApp);
      for (const [appid, userId] of [
        [app.appid, user.id],
        [app.appid, other.id],
        [otherApp.appid, user.id],
      ] as const) {
        await f.store.consent.recordDecisions(appid, userId, [accept(), accept(), accept(LONG_TERM)], T0);
      }
      const before = (await f.store.consent.changes(0, 100)).length;
      await f.store.consent.setMainSwitch(app.appid, user.id, false, T0 + 1);
      expect(await f.store.consent.mainSwitch(app.appid, user.id)).toBe(false);
      expect(await f.store.consent.grants(app.appid, user.id)).toEqual([
        expect.objectContaining({
          templateId: LONG_TERM,
          remaining: 0,
          active: false,
          status: 'accept',
          updatedAt: T0 + 1,
        }),
        expect.objectContaining({
          templateId: ONE_TIME,
          remaining: 0,
          active: false,
          status: 'accept',
          updatedAt: T0 + 1,
        }),
      ]);
      expect(await grantOf(f.store, app.appid, other.id)).toMatchObject({ remaining: 2 });
      expect(await grantOf(f.store, otherApp.appid, user.id)).toMatchObject({ remaining: 2 });
      expect(await grantOf(f.store, otherApp.appid, user.id, LONG_TERM)).toMatchObject({ active: true });
      expect(await f.store.consent.mainSwitch(otherApp.appid, user.id)).toBe(true);
      expect(await f.store.consent.mainSwitch(app.appid, other.id)).toBe(true);
      const logged = (await f.store.consent.changes(0, 100)).slice(before);
      expect(logged.map((c) => [c.templateId, c.status, c.source, c.userId])).toEqual([
        [LONG_TERM, 'reject', 'main-switch', user.id],
        [ONE_TIME, 'reject', 'main-switch', user.id],
      ]);

      // Off again logs nothing more; on restores nothing and logs nothing.
      await f.store.consent.setMainSwitch(app.appid, user.id, false, T0 + 2);
      await f.store.consent.setMainSwitch(app.appid, user.id, true, T0 + 3);
      expect(await f.store.consent.mainSwitch(app.appid, user.id)).toBe(true);
      expect(await f.store.consent.changes(0, 100)).toHaveLength(before + 2);
      expect((await grantOf(f.store, app.appid, user.id))!.remaining).toBe(0);
      expect((await grantOf(f.store, app.appid, user.id, LONG_TERM))!.active).toBe(false);
    });

    test('while the main switch is off, recordDecisions records nothing and returns []', async () => {
      const { app, user } = await appAndUser(f.store);
      await f.store.consent.setMainSwitch(app.appid, user.id, false, T0);
      expect(
        await f.store.consent.recordDecisions(app.appid, user.id, [accept(), accept(LONG_TERM)], T0 + 1),
      ).toEqual([]);
      expect(await f.store.consent.grants(app.appid, user.id)).toEqual([]);
      expect(await f.store.consent.changes(0, 100)).toEqual([]);
    });

    test('changes pages through the log oldest first', async () => {
      const { app, user } = await appAndUser(f.store);
      const made = await f.store.consent.recordDecisions(
        app.appid,
        user.id,
        ['a', 'b', 'c', 'd', 'e'].map((id) => accept(id)),
        T0,
      );
      const first = await f.store.consent.changes(0, 2);
      expect(first).toEqual(made.slice(0, 2));
      expect(await f.store.consent.changes(first[1]!.id, 2)).toEqual(made.slice(2, 4));
      expect(await f.store.consent.changes(made[4]!.id, 2)).toEqual([]);
    });
  });

  describe('consent and deliver: sends spend the same grants', () => {
    test('1,000 concurrent deliveries against 100 grants: exactly 100 delivered, remaining 0', async () => {
      const { app, user } = await appAndUser(f.store);
      const hundred = Array.from({ length: 100 }, () => accept());
      await f.store.consent.recordDecisions(app.appid, user.id, hundred, T0);
      expect((await grantOf(f.store, app.appid, user.id))!.remaining).toBe(100);
      const results = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          f.store.messages.deliver(message(app.appid, user.id, ONE_TIME, i), DAY, NO_CAP),
        ),
      );
      expect(tally(results)).toEqual(
        new Map([
          ['delivered', 100],
          ['no-grant', 900],
        ]),
      );
      expect((await grantOf(f.store, app.appid, user.id))!.remaining).toBe(0);
      expect(await f.store.messages.unreadCount(user.id)).toBe(100);
    });

    test('a long-term template sends while active; inactive or rejected it is no-grant', async () => {
      const { app, user } = await appAndUser(f.store);
      const send = (n: number) =>
        f.store.messages.deliver(message(app.appid, user.id, LONG_TERM, n), DAY, NO_CAP);
      expect(await send(0)).toBe('no-grant');
      await f.store.consent.recordDecisions(app.appid, user.id, [reject(LONG_TERM)], T0);
      expect(await send(1)).toBe('no-grant');
      await f.store.consent.recordDecisions(app.appid, user.id, [accept(LONG_TERM)], T0);
      for (let i = 2; i < 12; i++) expect(await send(i)).toBe('delivered');
      expect(await grantOf(f.store, app.appid, user.id, LONG_TERM)).toMatchObject({
        active: true,
        remaining: 0,
      });
      await f.store.consent.setTemplate(app.appid, user.id, LONG_TERM, 3, 'reject', 'card', T0 + 1);
      expect(await send(12)).toBe('no-grant');
      await f.store.consent.setTemplate(app.appid, user.id, LONG_TERM, 3, 'accept', 'settings', T0 + 2);
      expect(await send(13)).toBe('no-grant');
      await f.store.consent.recordDecisions(
        app.appid,
        user.id,
        [accept(LONG_TERM, { source: 'silent' })],
        T0 + 3,
      );
      expect(await send(14)).toBe('delivered');
      await f.store.consent.setMainSwitch(app.appid, user.id, false, T0 + 4);
      expect(await send(15)).toBe('no-grant');
    });

    test('a one-time grant zeroed by the settings page or the main switch sends nothing', async () => {
      const { app, user } = await appAndUser(f.store);
      const send = (n: number) =>
        f.store.messages.deliver(message(app.appid, user.id, ONE_TIME, n), DAY, NO_CAP);
      await f.store.consent.recordDecisions(app.appid, user.id, [accept(), accept(), accept()], T0);
      expect(await send(0)).toBe('delivered');
      await f.store.consent.setTemplate(app.appid, user.id, ONE_TIME, 2, 'reject', 'settings', T0 + 1);
      expect(await send(1)).toBe('no-grant');
      await f.store.consent.recordDecisions(
        app.appid,
        user.id,
        [accept(ONE_TIME, { source: 'silent' })],
        T0 + 2,
      );
      await f.store.consent.recordDecisions(
        app.appid,
        user.id,
        [accept(ONE_TIME, { source: 'silent' })],
        T0 + 2,
      );
      await f.store.consent.setMainSwitch(app.appid, user.id, false, T0 + 3);
      expect(await send(2)).toBe('no-grant');
      expect(await f.store.messages.unreadCount(user.id)).toBe(1);
    });
  });
}
