import { describe, expect, test } from 'vitest';
import { appRecord, type StoreFixture, T0 } from './fixture.conformance.js';

/** AppStore: create/get/getBySdkAppId/list/update. */
export function appsConformance(f: StoreFixture): void {
  describe('apps', () => {
    test('create stores the app and get returns it field for field', async () => {
      const app = appRecord({ type: 'minigame', subscribeBanned: true, pages: ['pages/index/index'] });
      expect(await f.store.apps.create(app)).toBe(true);
      expect(await f.store.apps.get(app.appid)).toEqual(app);
    });

    test('get of an unknown appid is undefined', async () => {
      expect(await f.store.apps.get('wx0000000000000000')).toBeUndefined();
    });

    test('create returns false on a duplicate appid and keeps the first app', async () => {
      const first = appRecord({ name: 'First' });
      expect(await f.store.apps.create(first)).toBe(true);
      const second = appRecord({ appid: first.appid, name: 'Second', secret: 'other', createdAt: T0 + 1 });
      expect(await f.store.apps.create(second)).toBe(false);
      expect(await f.store.apps.get(first.appid)).toEqual(first);
      expect(await f.store.apps.list()).toEqual([first]);
    });

    test('create returns false on a duplicate sdkAppId and stores nothing of the second app', async () => {
      const first = appRecord();
      expect(await f.store.apps.create(first)).toBe(true);
      const second = appRecord({ sdkAppId: first.sdkAppId });
      expect(await f.store.apps.create(second)).toBe(false);
      expect(await f.store.apps.get(second.appid)).toBeUndefined();
      expect(await f.store.apps.getBySdkAppId(first.sdkAppId)).toEqual(first);
      expect(await f.store.apps.list()).toEqual([first]);
    });

    test('getBySdkAppId finds the app field for field; an unknown or odd number is undefined', async () => {
      const a = appRecord({ sdkAppId: 1_400_000_001 });
      const b = appRecord({ sdkAppId: 1_499_999_999 });
      await f.store.apps.create(a);
      await f.store.apps.create(b);
      expect(await f.store.apps.getBySdkAppId(a.sdkAppId)).toEqual(a);
      expect(await f.store.apps.getBySdkAppId(b.sdkAppId)).toEqual(b);
      for (const unknown of [1_400_000_000, 0, -1, 1.5, Number.NaN, 2 ** 60])
        expect(await f.store.apps.getBySdkAppId(unknown)).toBeUndefined();
      // An app created after a miss is found (misses are not cached).
      const later = appRecord({ sdkAppId: 1_400_000_000 });
      await f.store.apps.create(later);
      expect(await f.store.apps.getBySdkAppId(1_400_000_000)).toEqual(later);
    });

    test('update of the rtcSecretKey changes only the key, seen through get and getBySdkAppId', async () => {
      const app = appRecord({ pages: ['a/b'] });
      await f.store.apps.create(app);
      // Read both ways first, so a read cache holding the old key would show here.
      expect(await f.store.apps.get(app.appid)).toEqual(app);
      expect(await f.store.apps.getBySdkAppId(app.sdkAppId)).toEqual(app);
      const key = 'f'.repeat(64);
      const updated = await f.store.apps.update(app.appid, { rtcSecretKey: key });
      expect(updated).toEqual({ ...app, rtcSecretKey: key });
      expect(await f.store.apps.get(app.appid)).toEqual(updated);
      expect(await f.store.apps.getBySdkAppId(app.sdkAppId)).toEqual(updated);
    });

    test('list is empty on a fresh store', async () => {
      expect(await f.store.apps.list()).toEqual([]);
    });

    test('list returns every app, oldest first, whatever the insertion order', async () => {
      const middle = appRecord({ name: 'middle', createdAt: T0 + 2000 });
      const newest = appRecord({ name: 'newest', createdAt: T0 + 5000 });
      const oldest = appRecord({ name: 'oldest', createdAt: T0 });
      for (const app of [middle, newest, oldest]) expect(await f.store.apps.create(app)).toBe(true);
      expect(await f.store.apps.list()).toEqual([oldest, middle, newest]);
    });

    test('pages round trip: empty, several, with query strings and non-ASCII', async () => {
      const empty = appRecord({ pages: [] });
      const several = appRecord({ pages: ['pages/index/index', 'pages/order/detail?id=1&x=y', '页面/详情'] });
      await f.store.apps.create(empty);
      await f.store.apps.create(several);
      expect((await f.store.apps.get(empty.appid))?.pages).toEqual([]);
      expect((await f.store.apps.get(several.appid))?.pages).toEqual(several.pages);
    });

    test('update of the secret changes only the secret', async () => {
      const app = appRecord({ pages: ['a/b'] });
      await f.store.apps.create(app);
      const updated = await f.store.apps.update(app.appid, { secret: 'new-secret' });
      expect(updated).toEqual({ ...app, secret: 'new-secret' });
      expect(await f.store.apps.get(app.appid)).toEqual(updated);
    });

    test('update of subscribeBanned sets and clears the flag', async () => {
      const app = appRecord();
      await f.store.apps.create(app);
      expect(await f.store.apps.update(app.appid, { subscribeBanned: true })).toEqual({
        ...app,
        subscribeBanned: true,
      });
      expect((await f.store.apps.get(app.appid))?.subscribeBanned).toBe(true);
      expect(await f.store.apps.update(app.appid, { subscribeBanned: false })).toEqual(app);
      expect((await f.store.apps.get(app.appid))?.subscribeBanned).toBe(false);
    });

    test('update of pages replaces the list (also with an empty one)', async () => {
      const app = appRecord({ pages: ['old/one', 'old/two'] });
      await f.store.apps.create(app);
      expect(await f.store.apps.update(app.appid, { pages: ['new/one'] })).toMatchObject({
        pages: ['new/one'],
      });
      expect((await f.store.apps.get(app.appid))?.pages).toEqual(['new/one']);
      expect(await f.store.apps.update(app.appid, { pages: [] })).toMatchObject({ pages: [] });
      expect((await f.store.apps.get(app.appid))?.pages).toEqual([]);
    });

    test('dailySendCap round trip: null by default, set, 0, back to null; only that field changes', async () => {
      const unset = appRecord();
      const capped = appRecord({ dailySendCap: 25 });
      await f.store.apps.create(unset);
      await f.store.apps.create(capped);
      expect((await f.store.apps.get(unset.appid))?.dailySendCap).toBeNull();
      expect(await f.store.apps.get(capped.appid)).toEqual(capped);
      expect(await f.store.apps.update(unset.appid, { dailySendCap: 3 })).toEqual({
        ...unset,
        dailySendCap: 3,
      });
      expect((await f.store.apps.get(unset.appid))?.dailySendCap).toBe(3);
      expect(await f.store.apps.update(unset.appid, { dailySendCap: 0 })).toMatchObject({ dailySendCap: 0 });
      expect((await f.store.apps.get(unset.appid))?.dailySendCap).toBe(0);
      expect(await f.store.apps.update(unset.appid, { dailySendCap: null })).toEqual(unset);
      expect(await f.store.apps.get(unset.appid)).toEqual(unset);
      expect(await f.store.apps.update(capped.appid, { secret: 'other' })).toEqual({
        ...capped,
        secret: 'other',
      });
      expect((await f.store.apps.get(capped.appid))?.dailySendCap).toBe(25);
    });

    test('icon and front end round trip: null by default, set on create, set and cleared by update', async () => {
      const plain = appRecord();
      const dressed = appRecord({
        icon: 'https://cdn.example/i.png?v=2',
        frontend: 'https://shop.example/app/',
      });
      await f.store.apps.create(plain);
      await f.store.apps.create(dressed);
      expect(await f.store.apps.get(plain.appid)).toEqual(plain);
      expect(await f.store.apps.get(dressed.appid)).toEqual(dressed);
      const set = { icon: 'http://127.0.0.1:8722/icon.svg', frontend: 'http://127.0.0.1:8722/' };
      expect(await f.store.apps.update(plain.appid, set)).toEqual({ ...plain, ...set });
      expect(await f.store.apps.get(plain.appid)).toEqual({ ...plain, ...set });
      // null clears; a field left out is kept.
      expect(await f.store.apps.update(plain.appid, { icon: null })).toEqual({
        ...plain,
        frontend: set.frontend,
      });
      expect(await f.store.apps.update(dressed.appid, { frontend: null })).toEqual({
        ...dressed,
        frontend: null,
      });
      expect(await f.store.apps.list()).toEqual([
        { ...plain, frontend: set.frontend },
        { ...dressed, frontend: null },
      ]);
    });

    test('update of the name changes only the name, seen through get and getBySdkAppId', async () => {
      const app = appRecord({ name: 'Old name', frontend: 'https://a.example/' });
      await f.store.apps.create(app);
      expect(await f.store.apps.getBySdkAppId(app.sdkAppId)).toEqual(app);
      expect(await f.store.apps.update(app.appid, { name: '新名字' })).toEqual({ ...app, name: '新名字' });
      expect(await f.store.apps.get(app.appid)).toEqual({ ...app, name: '新名字' });
      expect(await f.store.apps.getBySdkAppId(app.sdkAppId)).toEqual({ ...app, name: '新名字' });
    });

    test('update of several fields at once applies them all', async () => {
      const app = appRecord();
      await f.store.apps.create(app);
      const patch = {
        name: 'Renamed',
        secret: 's2',
        subscribeBanned: true,
        pages: ['p/q'],
        dailySendCap: 7,
        rtcSecretKey: 'e'.repeat(64),
        icon: 'https://i.example/a.png',
        frontend: 'https://f.example/',
      };
      expect(await f.store.apps.update(app.appid, patch)).toEqual({ ...app, ...patch });
      expect(await f.store.apps.get(app.appid)).toEqual({ ...app, ...patch });
    });

    test('an empty patch changes nothing and returns the app', async () => {
      const app = appRecord({ pages: ['x/y'], subscribeBanned: true });
      await f.store.apps.create(app);
      expect(await f.store.apps.update(app.appid, {})).toEqual(app);
      expect(await f.store.apps.get(app.appid)).toEqual(app);
    });

    test('update touches only its own app', async () => {
      const a = appRecord();
      const b = appRecord();
      await f.store.apps.create(a);
      await f.store.apps.create(b);
      await f.store.apps.update(a.appid, { secret: 'changed', subscribeBanned: true, pages: ['z'] });
      expect(await f.store.apps.get(b.appid)).toEqual(b);
    });

    test("create refuses a front end on another app's front-end origin, storing nothing", async () => {
      const first = appRecord({ frontend: 'https://shop.example/mp/' });
      expect(await f.store.apps.create(first)).toBe(true);
      // Another path of the same origin: refused, naming the app that has it.
      const second = appRecord({ frontend: 'https://shop.example/other/', createdAt: T0 + 1 });
      expect(await f.store.apps.create(second)).toEqual({ frontendOriginTakenBy: first.appid });
      expect(await f.store.apps.get(second.appid)).toBeUndefined();
      expect(await f.store.apps.getBySdkAppId(second.sdkAppId)).toBeUndefined();
      // Another scheme, port or host is another origin; apps without a front end are never in the way.
      const others = [
        appRecord({ frontend: 'http://shop.example/mp/' }),
        appRecord({ frontend: 'https://shop.example:8443/mp/' }),
        appRecord({ frontend: 'https://game.shop.example/' }),
        appRecord({ frontend: null }),
        appRecord({ frontend: null }),
      ];
      for (const app of others) expect(await f.store.apps.create(app)).toBe(true);
      expect(await f.store.apps.list()).toEqual([first, ...others]);
    });

    test("update refuses a front end on another app's origin and writes nothing of the patch", async () => {
      const shop = appRecord({ frontend: 'https://shop.example/' });
      const game = appRecord({ name: 'Game', frontend: 'https://game.example/', createdAt: T0 + 1 });
      await f.store.apps.create(shop);
      await f.store.apps.create(game);
      expect(await f.store.apps.get(game.appid)).toEqual(game);
      expect(
        await f.store.apps.update(game.appid, { name: 'Renamed', frontend: 'https://shop.example/game/' }),
      ).toEqual({ frontendOriginTakenBy: shop.appid });
      expect(await f.store.apps.get(game.appid)).toEqual(game);
      // Its own origin, on another path, is the app's to take.
      expect(await f.store.apps.update(shop.appid, { frontend: 'https://shop.example/v2/' })).toEqual({
        ...shop,
        frontend: 'https://shop.example/v2/',
      });
      // An origin given up (moved or cleared) is free for another app.
      expect(await f.store.apps.update(shop.appid, { frontend: 'https://shop2.example/' })).toMatchObject({
        frontend: 'https://shop2.example/',
      });
      expect(await f.store.apps.update(game.appid, { frontend: 'https://shop.example/game/' })).toMatchObject(
        {
          frontend: 'https://shop.example/game/',
        },
      );
      expect(await f.store.apps.update(game.appid, { frontend: null })).toMatchObject({ frontend: null });
      const late = appRecord({ frontend: 'https://shop.example/late/', createdAt: T0 + 2 });
      expect(await f.store.apps.create(late)).toBe(true);
      expect(await f.store.apps.update(shop.appid, { frontend: 'https://shop.example/' })).toEqual({
        frontendOriginTakenBy: late.appid,
      });
    });

    test('of writes racing for one origin, exactly one takes it', async () => {
      const apps = [appRecord(), appRecord(), appRecord()];
      for (const app of apps) await f.store.apps.create(app);
      const origin = 'https://contested.example';
      const results = await Promise.all([
        ...apps.map((app, i) => f.store.apps.update(app.appid, { frontend: `${origin}/${i}/` })),
        f.store.apps.create(appRecord({ frontend: `${origin}/new/` })),
      ]);
      const won = (r: (typeof results)[number]) => r === true || (typeof r === 'object' && 'appid' in r);
      expect(results.filter(won)).toHaveLength(1);
      const holders = (await f.store.apps.list()).filter((a) => a.frontend?.startsWith(origin));
      expect(holders).toHaveLength(1);
      for (const r of results.filter((r) => !won(r)))
        expect(r).toEqual({ frontendOriginTakenBy: holders[0]!.appid });
    });

    test('update of an unknown appid returns undefined and creates nothing', async () => {
      expect(await f.store.apps.update('wx0000000000000000', { secret: 'x' })).toBeUndefined();
      expect(await f.store.apps.get('wx0000000000000000')).toBeUndefined();
      expect(await f.store.apps.list()).toEqual([]);
    });
  });
}
