import { describe, expect, test } from 'vitest';
import type { Store } from '../port.js';
import { appRecord, type StoreFixture, T0, tally, templateRecord } from './fixture.conformance.js';

async function newApp(store: Store): Promise<string> {
  const app = appRecord();
  await store.apps.create(app);
  return app.appid;
}

/** TemplateStore: capped add, get, list and remove, all scoped to one app. */
export function templatesConformance(f: StoreFixture): void {
  describe('templates', () => {
    test('add stores the template; get returns it field for field, keywords in order', async () => {
      const appid = await newApp(f.store);
      const template = templateRecord(appid, { type: 3 });
      expect(await f.store.templates.add(template, 25)).toBe(true);
      expect(await f.store.templates.get(appid, template.priTmplId)).toEqual(template);
    });

    test('get of an unknown template is undefined; list of an app without templates is empty', async () => {
      const appid = await newApp(f.store);
      expect(await f.store.templates.get(appid, 'nope')).toBeUndefined();
      expect(await f.store.templates.list(appid)).toEqual([]);
    });

    test('list returns the app’s templates oldest first and no one else’s', async () => {
      const appid = await newApp(f.store);
      const other = await newApp(f.store);
      const mine = [0, 1, 2, 3].map((i) => templateRecord(appid, { tid: 100 + i, createdAt: T0 + i * 1000 }));
      for (const [i, t] of mine.entries()) {
        expect(await f.store.templates.add(t, 25)).toBe(true);
        // Interleave another app's templates: they must not show up in this app's list.
        expect(await f.store.templates.add(templateRecord(other, { createdAt: T0 + i * 1000 + 1 }), 25)).toBe(
          true,
        );
      }
      expect(await f.store.templates.list(appid)).toEqual(mine);
      expect(await f.store.templates.list(other)).toHaveLength(4);
    });

    test('add refuses once the app holds `limit` templates and stores nothing then', async () => {
      const appid = await newApp(f.store);
      const added = [];
      for (let i = 0; i < 3; i++) {
        const t = templateRecord(appid, { createdAt: T0 + i });
        expect(await f.store.templates.add(t, 3)).toBe(true);
        added.push(t);
      }
      const refused = templateRecord(appid, { createdAt: T0 + 10 });
      expect(await f.store.templates.add(refused, 3)).toBe(false);
      expect(await f.store.templates.get(appid, refused.priTmplId)).toBeUndefined();
      expect(await f.store.templates.list(appid)).toEqual(added);
    });

    test('a limit of 0 refuses everything', async () => {
      const appid = await newApp(f.store);
      expect(await f.store.templates.add(templateRecord(appid), 0)).toBe(false);
      expect(await f.store.templates.list(appid)).toEqual([]);
    });

    test('the limit counts per app', async () => {
      const full = await newApp(f.store);
      const empty = await newApp(f.store);
      expect(await f.store.templates.add(templateRecord(full), 1)).toBe(true);
      expect(await f.store.templates.add(templateRecord(full), 1)).toBe(false);
      expect(await f.store.templates.add(templateRecord(empty), 1)).toBe(true);
    });

    test('40 concurrent adds with a limit of 25: exactly 25 stored', async () => {
      const appid = await newApp(f.store);
      const candidates = Array.from({ length: 40 }, (_, i) => templateRecord(appid, { tid: i }));
      const results = await Promise.all(candidates.map((t) => f.store.templates.add(t, 25)));
      expect(tally(results)).toEqual(
        new Map([
          [true, 25],
          [false, 15],
        ]),
      );
      const stored = await f.store.templates.list(appid);
      expect(stored).toHaveLength(25);
      const winners = new Set(candidates.filter((_, i) => results[i]).map((t) => t.priTmplId));
      expect(new Set(stored.map((t) => t.priTmplId))).toEqual(winners);
    });

    test('get and remove are scoped to the app that owns the template', async () => {
      const owner = await newApp(f.store);
      const stranger = await newApp(f.store);
      const template = templateRecord(owner);
      await f.store.templates.add(template, 25);
      expect(await f.store.templates.get(stranger, template.priTmplId)).toBeUndefined();
      expect(await f.store.templates.remove(stranger, template.priTmplId)).toBe(false);
      expect(await f.store.templates.get(owner, template.priTmplId)).toEqual(template);
    });

    test('remove deletes once, then returns false; the freed slot can be used again', async () => {
      const appid = await newApp(f.store);
      const a = templateRecord(appid, { createdAt: T0 });
      const b = templateRecord(appid, { createdAt: T0 + 1 });
      await f.store.templates.add(a, 2);
      await f.store.templates.add(b, 2);
      expect(await f.store.templates.remove(appid, a.priTmplId)).toBe(true);
      expect(await f.store.templates.remove(appid, a.priTmplId)).toBe(false);
      expect(await f.store.templates.get(appid, a.priTmplId)).toBeUndefined();
      expect(await f.store.templates.list(appid)).toEqual([b]);
      const c = templateRecord(appid, { createdAt: T0 + 2 });
      expect(await f.store.templates.add(c, 2)).toBe(true);
      expect(await f.store.templates.list(appid)).toEqual([b, c]);
    });

    test('remove of an unknown template returns false', async () => {
      const appid = await newApp(f.store);
      expect(await f.store.templates.remove(appid, 'nope')).toBe(false);
    });
  });
}
