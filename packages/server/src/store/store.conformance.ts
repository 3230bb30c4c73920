import { describe, expect, test } from 'vitest';
import { accountsConformance } from './conformance/accounts.conformance.js';
import { appsConformance } from './conformance/apps.conformance.js';
import { callEventsConformance } from './conformance/call-events.conformance.js';
import { callMembersConformance } from './conformance/call-members.conformance.js';
import { callsConformance } from './conformance/calls.conformance.js';
import { consentConformance } from './conformance/consent.conformance.js';
import {
  appAndUser,
  appUserRecord,
  loginCodeRecord,
  type OpenStore,
  type StoreFixture,
  sessionRecord,
  storeFixture,
  T0,
  templateRecord,
  tokenRecord,
  userRecord,
} from './conformance/fixture.conformance.js';
import { friendsConformance } from './conformance/friends.conformance.js';
import { gamesConformance } from './conformance/games.conformance.js';
import { DAY, message, messagesConformance, withGrants } from './conformance/messages.conformance.js';
import { pushConformance } from './conformance/push.conformance.js';
import { templatesConformance } from './conformance/templates.conformance.js';
import { tokensConformance } from './conformance/tokens.conformance.js';
import type { Store } from './port.js';

export interface StoreConformanceOptions {
  /**
   * For a durable adapter: open again the data of `closed` (a store returned by `open`, already closed).
   * Leave it out for a store that forgets on close (in-memory); the survival tests are skipped then.
   */
  reopen?: (closed: Store) => Promise<Store> | Store;
}

/**
 * The whole Store contract of store/port.ts, through the port only. Every adapter runs it from store.test.ts;
 * a new adapter only has to be added to that loop. `open` must give an empty store each time.
 */
export function storeConformance(name: string, open: OpenStore, options: StoreConformanceOptions = {}): void {
  describe(`store conformance: ${name}`, () => {
    const f = storeFixture(open);
    appsConformance(f);
    tokensConformance(f);
    accountsConformance(f);
    friendsConformance(f);
    templatesConformance(f);
    consentConformance(f);
    messagesConformance(f);
    gamesConformance(f);
    pushConformance(f, open, options.reopen);
    callsConformance(f, open, options.reopen);
    callEventsConformance(f);
    callMembersConformance(f);
    settingsConformance(f);
    survivalConformance(open, options.reopen);
  });
}

function settingsConformance(f: StoreFixture): void {
  describe('settings', () => {
    test('getOrInit sets the first value and returns it ever after', async () => {
      expect(await f.store.settings.getOrInit('openid-secret', 'first')).toBe('first');
      expect(await f.store.settings.getOrInit('openid-secret', 'second')).toBe('first');
    });

    test('keys are independent', async () => {
      expect(await f.store.settings.getOrInit('a', 'value-a')).toBe('value-a');
      expect(await f.store.settings.getOrInit('b', 'value-b')).toBe('value-b');
      expect(await f.store.settings.getOrInit('a', 'other')).toBe('value-a');
    });

    test('concurrent first calls all see one value, one of the offered ones', async () => {
      const offered = Array.from({ length: 20 }, (_, i) => `candidate-${i}`);
      const seen = await Promise.all(offered.map((v) => f.store.settings.getOrInit('race', v)));
      expect(new Set(seen).size).toBe(1);
      expect(offered).toContain(seen[0]);
      expect(await f.store.settings.getOrInit('race', 'late')).toBe(seen[0]);
    });
  });
}

/** What a durable store keeps across close and reopen: every kind of record, and the state CAS reads. */
function survivalConformance(open: OpenStore, reopen: StoreConformanceOptions['reopen']): void {
  describe('durability', () => {
    if (!reopen) {
      test.skip('data survives close and reopen (not a durable adapter)', () => {});
      return;
    }
    test('data survives close and reopen', async () => {
      const first = await open();
      let firstOpen = true;
      let second: Store | undefined;
      try {
        const { app, user } = await appAndUser(first);
        const kept = {
          pages: ['pages/kept'],
          subscribeBanned: true,
          icon: 'https://cdn.example/kept.png',
          frontend: 'https://kept.example/',
        };
        await first.apps.update(app.appid, kept);
        const token = tokenRecord(app.appid);
        await first.tokens.issue(token, { expectedLatest: null });
        const session = sessionRecord(user.id);
        await first.accounts.createSession(session);
        const used = loginCodeRecord(app.appid, user.id);
        const fresh = loginCodeRecord(app.appid, user.id);
        await first.accounts.createLoginCode(used);
        await first.accounts.createLoginCode(fresh);
        await first.accounts.useLoginCode(used.code, T0 + 5);
        const appUser = appUserRecord(app.appid, user.id);
        await first.accounts.saveAppUser(appUser);
        const template = templateRecord(app.appid);
        await first.templates.add(template, 1);
        await first.settings.getOrInit('kept', 'v1');
        const friend = userRecord();
        await first.accounts.createUser(friend);
        await first.friends.add(user.id, friend.id, T0 + 3);
        await first.close();
        firstOpen = false;

        second = await reopen(first);
        expect(await second.apps.get(app.appid)).toEqual({ ...app, ...kept });
        expect(await second.tokens.latest(app.appid, 'token')).toEqual(token);
        expect(await second.tokens.issue(tokenRecord(app.appid), { expectedLatest: null })).toBe(false);
        expect(await second.accounts.getUserByName(user.username.toUpperCase())).toEqual(user);
        expect(await second.accounts.getSession(session.tokenHash)).toEqual(session);
        expect(await second.accounts.useLoginCode(used.code, T0 + 9)).toEqual({
          status: 'used',
          code: { ...used, usedAt: T0 + 5 },
        });
        expect((await second.accounts.useLoginCode(fresh.code, T0 + 9)).status).toBe('ok');
        expect(await second.accounts.getAppUserByOpenid(app.appid, appUser.openid)).toEqual(appUser);
        expect(await second.templates.list(app.appid)).toEqual([template]);
        // The cap still counts the template added before the restart.
        expect(await second.templates.add(templateRecord(app.appid), 1)).toBe(false);
        expect(await second.settings.getOrInit('kept', 'v2')).toBe('v1');
        expect(await second.friends.list(friend.id)).toEqual([{ user, since: T0 + 3 }]);
      } finally {
        if (firstOpen) await first.close();
        await second?.close();
      }
    });

    test('delivered messages and the daily send count survive close and reopen', async () => {
      const first = await open();
      const { app, user } = await withGrants(first, 5);
      expect(await first.messages.deliver(message(app.appid, user.id, 1), DAY, 3)).toBe('delivered');
      expect(await first.messages.deliver(message(app.appid, user.id, 2), DAY, 3)).toBe('delivered');
      await first.close();
      const second = await reopen(first);
      try {
        expect(await second.messages.deliver(message(app.appid, user.id, 3), DAY, 3)).toBe('delivered');
        expect(await second.messages.deliver(message(app.appid, user.id, 4), DAY, 3)).toBe('daily-cap');
        expect((await second.messages.inbox(user.id, 10)).map((m) => m.rows[0]?.value)).toEqual([
          '第3件',
          '第2件',
          '第1件',
        ]);
      } finally {
        await second.close();
      }
    });
  });
}
