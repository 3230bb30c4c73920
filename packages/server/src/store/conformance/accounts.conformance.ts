import { describe, expect, test } from 'vitest';
import {
  appAndUser,
  appRecord,
  appUserRecord,
  loginCodeRecord,
  type StoreFixture,
  sessionRecord,
  T0,
  tally,
  userRecord,
} from './fixture.conformance.js';

/** AccountStore: users, sessions, single-use login codes and the per-app view of a user. */
export function accountsConformance(f: StoreFixture): void {
  describe('accounts: users', () => {
    test('createUser stores the user; getUser and getUserByName return it field for field', async () => {
      const user = userRecord({ username: 'Alice' });
      expect(await f.store.accounts.createUser(user)).toBe(true);
      expect(await f.store.accounts.getUser(user.id)).toEqual(user);
      expect(await f.store.accounts.getUserByName('Alice')).toEqual(user);
    });

    test('unknown ids and names are undefined', async () => {
      await f.store.accounts.createUser(userRecord({ username: 'alice' }));
      expect(await f.store.accounts.getUser('u_nobody')).toBeUndefined();
      expect(await f.store.accounts.getUserByName('bob')).toBeUndefined();
      expect(await f.store.accounts.getUserByName('alic')).toBeUndefined();
    });

    test('getUserByName ignores letter case and keeps the spelling the user chose', async () => {
      const user = userRecord({ username: 'MixedCase' });
      await f.store.accounts.createUser(user);
      for (const name of ['mixedcase', 'MIXEDCASE', 'mIxEdCaSe']) {
        expect(await f.store.accounts.getUserByName(name)).toEqual(user);
      }
    });

    test('createUser returns false on a taken username in any letter case, keeping the first', async () => {
      const first = userRecord({ username: 'carol' });
      expect(await f.store.accounts.createUser(first)).toBe(true);
      for (const username of ['carol', 'CAROL', 'Carol']) {
        const again = userRecord({ username, displayName: 'impostor' });
        expect(await f.store.accounts.createUser(again)).toBe(false);
        expect(await f.store.accounts.getUser(again.id)).toBeUndefined();
      }
      expect(await f.store.accounts.getUserByName('carol')).toEqual(first);
    });

    test('concurrent createUser of one name in different cases: exactly one succeeds', async () => {
      const names = ['dave', 'Dave', 'DAVE', 'dAve', 'daVe', 'davE', 'DAve', 'daVE'];
      const users = names.map((username) => userRecord({ username }));
      const results = await Promise.all(users.map((u) => f.store.accounts.createUser(u)));
      expect(results.filter((r) => r)).toHaveLength(1);
      expect(await f.store.accounts.getUserByName('dave')).toEqual(users[results.indexOf(true)]);
    });
  });

  describe('accounts: sessions', () => {
    test('create, get, delete', async () => {
      const { user } = await appAndUser(f.store);
      const session = sessionRecord(user.id);
      const other = sessionRecord(user.id);
      await f.store.accounts.createSession(session);
      await f.store.accounts.createSession(other);
      expect(await f.store.accounts.getSession(session.tokenHash)).toEqual(session);
      await f.store.accounts.deleteSession(session.tokenHash);
      expect(await f.store.accounts.getSession(session.tokenHash)).toBeUndefined();
      expect(await f.store.accounts.getSession(other.tokenHash)).toEqual(other);
    });

    test('an unknown session is undefined and deleting it is harmless', async () => {
      expect(await f.store.accounts.getSession('0'.repeat(64))).toBeUndefined();
      await expect(f.store.accounts.deleteSession('0'.repeat(64))).resolves.toBeUndefined();
    });
  });

  describe('accounts: login codes', () => {
    test('the first use is ok and marks the code used at `now`; the second sees used', async () => {
      const { app, user } = await appAndUser(f.store);
      const code = loginCodeRecord(app.appid, user.id);
      await f.store.accounts.createLoginCode(code);
      expect(await f.store.accounts.useLoginCode(code.code, T0 + 1000)).toEqual({
        status: 'ok',
        code: { ...code, usedAt: T0 + 1000 },
      });
      expect(await f.store.accounts.useLoginCode(code.code, T0 + 2000)).toEqual({
        status: 'used',
        code: { ...code, usedAt: T0 + 1000 },
      });
    });

    test('getLoginCode reads a code without using it; after a use it shows usedAt', async () => {
      const { app, user } = await appAndUser(f.store);
      const code = loginCodeRecord(app.appid, user.id);
      await f.store.accounts.createLoginCode(code);
      expect(await f.store.accounts.getLoginCode(code.code)).toEqual(code);
      expect(await f.store.accounts.getLoginCode(code.code)).toEqual(code);
      expect((await f.store.accounts.useLoginCode(code.code, T0 + 7)).status).toBe('ok');
      expect(await f.store.accounts.getLoginCode(code.code)).toEqual({ ...code, usedAt: T0 + 7 });
      expect(await f.store.accounts.getLoginCode('no-such-code')).toBeUndefined();
    });

    test('an unknown code is unknown', async () => {
      const { app, user } = await appAndUser(f.store);
      await f.store.accounts.createLoginCode(loginCodeRecord(app.appid, user.id));
      expect(await f.store.accounts.useLoginCode('no-such-code', T0)).toEqual({ status: 'unknown' });
    });

    test('codes are independent: using one leaves another usable', async () => {
      const { app, user } = await appAndUser(f.store);
      const a = loginCodeRecord(app.appid, user.id);
      const b = loginCodeRecord(app.appid, user.id);
      await f.store.accounts.createLoginCode(a);
      await f.store.accounts.createLoginCode(b);
      expect((await f.store.accounts.useLoginCode(a.code, T0)).status).toBe('ok');
      expect((await f.store.accounts.useLoginCode(b.code, T0)).status).toBe('ok');
    });

    test('the store does not judge expiry: an expired code is still ok once (the caller checks)', async () => {
      const { app, user } = await appAndUser(f.store);
      const code = loginCodeRecord(app.appid, user.id, { expiresAt: T0 });
      await f.store.accounts.createLoginCode(code);
      const later = T0 + 3600_000;
      expect(await f.store.accounts.useLoginCode(code.code, later)).toEqual({
        status: 'ok',
        code: { ...code, usedAt: later },
      });
    });

    test('30 concurrent uses of one code: exactly one ok, the rest used', async () => {
      const { app, user } = await appAndUser(f.store);
      const code = loginCodeRecord(app.appid, user.id);
      await f.store.accounts.createLoginCode(code);
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => f.store.accounts.useLoginCode(code.code, T0 + i)),
      );
      expect(tally(results.map((r) => r.status))).toEqual(
        new Map([
          ['ok', 1],
          ['used', 29],
        ]),
      );
      const winner = results.find((r) => r.status === 'ok');
      const usedAt = winner?.status === 'ok' ? winner.code.usedAt : undefined;
      for (const r of results) if (r.status === 'used') expect(r.code.usedAt).toBe(usedAt);
    });
  });

  describe('accounts: app users', () => {
    test('the first save inserts and returns the record; get and getAppUserByOpenid find it', async () => {
      const { app, user } = await appAndUser(f.store);
      const record = appUserRecord(app.appid, user.id);
      expect(await f.store.accounts.saveAppUser(record)).toEqual(record);
      expect(await f.store.accounts.getAppUser(app.appid, user.id)).toEqual(record);
      expect(await f.store.accounts.getAppUserByOpenid(app.appid, record.openid)).toEqual(record);
    });

    test('a second save keeps openid, unionid and createdAt and replaces only the session key', async () => {
      const { app, user } = await appAndUser(f.store);
      const first = appUserRecord(app.appid, user.id);
      await f.store.accounts.saveAppUser(first);
      // Read first: an adapter that keeps what it read must see the new session key.
      expect(await f.store.accounts.getAppUserByOpenid(app.appid, first.openid)).toEqual(first);
      const second = appUserRecord(app.appid, user.id, { createdAt: T0 + 60_000 });
      const kept = { ...first, sessionKey: second.sessionKey };
      expect(await f.store.accounts.saveAppUser(second)).toEqual(kept);
      expect(await f.store.accounts.getAppUser(app.appid, user.id)).toEqual(kept);
      expect(await f.store.accounts.getAppUserByOpenid(app.appid, first.openid)).toEqual(kept);
      expect(await f.store.accounts.getAppUserByOpenid(app.appid, second.openid)).toBeUndefined();
    });

    test('one user in two apps has two independent records', async () => {
      const { app, user } = await appAndUser(f.store);
      const app2 = appRecord();
      await f.store.apps.create(app2);
      const inApp1 = appUserRecord(app.appid, user.id);
      const inApp2 = appUserRecord(app2.appid, user.id);
      await f.store.accounts.saveAppUser(inApp1);
      await f.store.accounts.saveAppUser(inApp2);
      expect(await f.store.accounts.getAppUser(app.appid, user.id)).toEqual(inApp1);
      expect(await f.store.accounts.getAppUser(app2.appid, user.id)).toEqual(inApp2);
    });

    test('lookups are scoped to the app', async () => {
      const { app, user } = await appAndUser(f.store);
      const app2 = appRecord();
      await f.store.apps.create(app2);
      const record = appUserRecord(app.appid, user.id);
      await f.store.accounts.saveAppUser(record);
      expect(await f.store.accounts.getAppUserByOpenid(app2.appid, record.openid)).toBeUndefined();
      expect(await f.store.accounts.getAppUser(app2.appid, user.id)).toBeUndefined();
      expect(await f.store.accounts.getAppUser(app.appid, 'u_nobody')).toBeUndefined();
      expect(await f.store.accounts.getAppUserByOpenid(app.appid, 'o_nobody')).toBeUndefined();
    });

    test('concurrent first saves of one pair agree on a single record', async () => {
      const { app, user } = await appAndUser(f.store);
      const attempts = Array.from({ length: 10 }, () => appUserRecord(app.appid, user.id));
      const saved = await Promise.all(attempts.map((r) => f.store.accounts.saveAppUser(r)));
      const ids = new Set(saved.map((r) => `${r.openid}/${r.unionid}/${r.createdAt}`));
      expect(ids.size).toBe(1);
      const stored = await f.store.accounts.getAppUser(app.appid, user.id);
      expect(stored && `${stored.openid}/${stored.unionid}/${stored.createdAt}`).toBe([...ids][0]);
    });
  });
}
