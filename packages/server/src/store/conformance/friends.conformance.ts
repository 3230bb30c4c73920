import { describe, expect, test } from 'vitest';
import type { Store, UserRecord } from '../port.js';
import { type StoreFixture, T0, userRecord } from './fixture.conformance.js';

async function users(store: Store, ...names: string[]): Promise<UserRecord[]> {
  const made = names.map((username) => userRecord({ username }));
  for (const user of made) {
    if (!(await store.accounts.createUser(user)))
      throw new Error(`fixture user ${user.username} not created`);
  }
  return made;
}

/** FriendStore: mutual friendships, added once, removed on both sides. */
export function friendsConformance(f: StoreFixture): void {
  describe('friends', () => {
    test('add makes both users friends of each other, since the same instant', async () => {
      const [alice, bob] = await users(f.store, 'alice', 'bob');
      expect(await f.store.friends.add(alice!.id, bob!.id, T0)).toEqual({ status: 'added', since: T0 });
      expect(await f.store.friends.list(alice!.id)).toEqual([{ user: bob, since: T0 }]);
      expect(await f.store.friends.list(bob!.id)).toEqual([{ user: alice, since: T0 }]);
      expect(await f.store.friends.areFriends(alice!.id, bob!.id)).toBe(true);
      expect(await f.store.friends.areFriends(bob!.id, alice!.id)).toBe(true);
    });

    test('adding an existing friendship, from either side, changes nothing and says so', async () => {
      const [alice, bob] = await users(f.store, 'alice', 'bob');
      await f.store.friends.add(alice!.id, bob!.id, T0);
      expect(await f.store.friends.add(alice!.id, bob!.id, T0 + 5)).toEqual({
        status: 'existing',
        since: T0,
      });
      expect(await f.store.friends.add(bob!.id, alice!.id, T0 + 9)).toEqual({
        status: 'existing',
        since: T0,
      });
      expect(await f.store.friends.list(alice!.id)).toEqual([{ user: bob, since: T0 }]);
      expect(await f.store.friends.list(bob!.id)).toEqual([{ user: alice, since: T0 }]);
    });

    test('concurrent adds of one pair from both sides: one is added, the rest see it', async () => {
      const [alice, bob] = await users(f.store, 'alice', 'bob');
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          i % 2
            ? f.store.friends.add(alice!.id, bob!.id, T0 + i)
            : f.store.friends.add(bob!.id, alice!.id, T0 + i),
        ),
      );
      const added = results.filter((r) => r.status === 'added');
      expect(added).toHaveLength(1);
      expect(new Set(results.map((r) => r.since))).toEqual(new Set([added[0]!.since]));
      expect(await f.store.friends.list(alice!.id)).toEqual([{ user: bob, since: added[0]!.since }]);
      expect(await f.store.friends.list(bob!.id)).toEqual([{ user: alice, since: added[0]!.since }]);
    });

    test('remove ends the friendship on both sides, from either side; a second remove is false', async () => {
      const [alice, bob, carol] = await users(f.store, 'alice', 'bob', 'carol');
      await f.store.friends.add(alice!.id, bob!.id, T0);
      await f.store.friends.add(alice!.id, carol!.id, T0 + 1);
      expect(await f.store.friends.remove(bob!.id, alice!.id)).toBe(true);
      expect(await f.store.friends.areFriends(alice!.id, bob!.id)).toBe(false);
      expect(await f.store.friends.areFriends(bob!.id, alice!.id)).toBe(false);
      expect(await f.store.friends.list(bob!.id)).toEqual([]);
      expect(await f.store.friends.list(alice!.id)).toEqual([{ user: carol, since: T0 + 1 }]);
      expect(await f.store.friends.remove(alice!.id, bob!.id)).toBe(false);
      // Friends again later: a new since.
      expect(await f.store.friends.add(bob!.id, alice!.id, T0 + 7)).toEqual({
        status: 'added',
        since: T0 + 7,
      });
      expect(await f.store.friends.list(alice!.id)).toEqual([
        { user: bob, since: T0 + 7 },
        { user: carol, since: T0 + 1 },
      ]);
    });

    test('list is by username regardless of case, and holds only the user’s own friends', async () => {
      const [me, zed, anna, bert, other] = await users(f.store, 'me', 'zed', 'Anna', 'bert', 'other');
      for (const friend of [zed!, anna!, bert!]) await f.store.friends.add(me!.id, friend.id, T0);
      await f.store.friends.add(other!.id, zed!.id, T0);
      expect((await f.store.friends.list(me!.id)).map((r) => r.user.username)).toEqual([
        'Anna',
        'bert',
        'zed',
      ]);
      expect((await f.store.friends.list(zed!.id)).map((r) => r.user.username)).toEqual(['me', 'other']);
      expect(await f.store.friends.areFriends(me!.id, other!.id)).toBe(false);
    });

    test('unknown users have no friends and are nobody’s', async () => {
      const [alice] = await users(f.store, 'alice');
      expect(await f.store.friends.list('u_nobody')).toEqual([]);
      expect(await f.store.friends.areFriends(alice!.id, 'u_nobody')).toBe(false);
      expect(await f.store.friends.remove(alice!.id, 'u_nobody')).toBe(false);
    });

    test('a friendship with oneself or an unknown user is refused and stores nothing', async () => {
      const [alice] = await users(f.store, 'alice');
      await expect(f.store.friends.add(alice!.id, alice!.id, T0)).rejects.toThrow();
      await expect(f.store.friends.add(alice!.id, 'u_nobody', T0)).rejects.toThrow();
      expect(await f.store.friends.list(alice!.id)).toEqual([]);
      expect(await f.store.friends.areFriends(alice!.id, alice!.id)).toBe(false);
    });
  });
}
