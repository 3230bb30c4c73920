import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { expectApiError } from '../test-support/client-api.js';
import { type SignedInUser, signUp, type TestServer, testServer } from '../test-support/harness.js';

let s: TestServer;
beforeEach(async () => {
  s = await testServer();
});
afterEach(() => s.close());

type Method = 'GET' | 'POST' | 'DELETE';

function call(who: SignedInUser | undefined, method: Method, url: string, payload?: object) {
  return s.app.inject({
    method,
    url,
    headers: who ? { authorization: `Bearer ${who.token}` } : {},
    ...(payload ? { payload } : {}),
  });
}

const friends = async (who: SignedInUser) => {
  const res = await call(who, 'GET', '/api/friends');
  expect(res.statusCode).toBe(200);
  return (res.json() as { friends: { username: string }[] }).friends;
};

describe('friends', () => {
  test('adding by username makes both friends; each lists the other with the same since', async () => {
    const alice = await signUp(s, 'Alice');
    const bob = await signUp(s, 'bob');
    expect(await friends(alice)).toEqual([]);

    const add = await call(alice, 'POST', '/api/friends', { username: 'BOB' });
    expect(add.statusCode).toBe(201);
    const since = new Date(s.clock.now()).toISOString();
    expect(add.json()).toEqual({ id: bob.userId, username: 'bob', displayName: 'bob', since });

    expect(await friends(alice)).toEqual([{ id: bob.userId, username: 'bob', displayName: 'bob', since }]);
    expect(await friends(bob)).toEqual([
      { id: alice.userId, username: 'Alice', displayName: 'Alice', since },
    ]);
  });

  test('adding a friend again, from either side, is 200 with the first since, and changes nothing', async () => {
    const alice = await signUp(s, 'alice');
    const bob = await signUp(s, 'bob');
    const first = await call(alice, 'POST', '/api/friends', { username: 'bob' });
    s.clock.advance(60_000);
    const again = await call(alice, 'POST', '/api/friends', { username: 'bob' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    const back = await call(bob, 'POST', '/api/friends', { username: 'alice' });
    expect(back.statusCode).toBe(200);
    expect(back.json().since).toBe(first.json().since);
    expect(await friends(alice)).toHaveLength(1);
    expect(await friends(bob)).toHaveLength(1);
  });

  test('the list is sorted by username regardless of case', async () => {
    const me = await signUp(s, 'mel');
    for (const name of ['zed', 'Anna', 'bert']) {
      await signUp(s, name);
      expect((await call(me, 'POST', '/api/friends', { username: name })).statusCode).toBe(201);
    }
    expect((await friends(me)).map((f) => f.username)).toEqual(['Anna', 'bert', 'zed']);
  });

  test('an unknown username is 404 91001 naming it; yourself is 91000; neither adds anyone', async () => {
    const alice = await signUp(s, 'alice');
    expect(
      expectApiError(await call(alice, 'POST', '/api/friends', { username: 'nobody' }), 404, 91001),
    ).toContain('no user named nobody');
    expect(
      expectApiError(await call(alice, 'POST', '/api/friends', { username: 'ALICE' }), 400, 91000),
    ).toContain('yourself');
    expect(await friends(alice)).toEqual([]);
  });

  test.each([
    [{}],
    [{ username: '' }],
    [{ username: 42 }],
    [{ username: 'x'.repeat(65) }],
    [{ username: 'bob', note: 'hi' }],
  ])('a malformed body %j is 91000', async (payload) => {
    const alice = await signUp(s, 'alice');
    await signUp(s, 'bob');
    expectApiError(await call(alice, 'POST', '/api/friends', payload), 400, 91000);
    expect(await friends(alice)).toEqual([]);
  });

  test('removing ends the friendship on both sides (204); a second remove is 404 91001', async () => {
    const alice = await signUp(s, 'alice');
    const bob = await signUp(s, 'bob');
    const carol = await signUp(s, 'carol');
    await call(alice, 'POST', '/api/friends', { username: 'bob' });
    await call(carol, 'POST', '/api/friends', { username: 'alice' });

    const removed = await call(bob, 'DELETE', `/api/friends/${alice.userId}`);
    expect(removed.statusCode).toBe(204);
    expect(removed.body).toBe('');
    expect((await friends(alice)).map((f) => f.username)).toEqual(['carol']);
    expect(await friends(bob)).toEqual([]);

    expectApiError(await call(bob, 'DELETE', `/api/friends/${alice.userId}`), 404, 91001);
    // Someone else's friendship is not yours to end.
    expectApiError(await call(bob, 'DELETE', `/api/friends/${carol.userId}`), 404, 91001);
    expectApiError(await call(bob, 'DELETE', '/api/friends/nobody'), 404, 91001);
    expect(await friends(carol)).toHaveLength(1);
  });

  test('every friends route needs a session (92004)', async () => {
    const bob = await signUp(s, 'bob');
    expectApiError(await call(undefined, 'GET', '/api/friends'), 401, 92004);
    expectApiError(await call(undefined, 'POST', '/api/friends', { username: 'bob' }), 401, 92004);
    expectApiError(await call(undefined, 'DELETE', `/api/friends/${bob.userId}`), 401, 92004);
    expectApiError(await call(undefined, 'GET', '/api/users/bob'), 401, 92004);
  });
});

describe('looking a user up by username', () => {
  test('any letter case finds the public view; an unknown name is 404 91001 naming it', async () => {
    const alice = await signUp(s, 'alice');
    const bob = await signUp(s, 'Bob.B');
    const found = await call(alice, 'GET', '/api/users/bob.b');
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual({ user: { id: bob.userId, username: 'Bob.B', displayName: 'Bob.B' } });
    expect(expectApiError(await call(alice, 'GET', '/api/users/nobody'), 404, 91001)).toContain(
      'no user named nobody',
    );
    expectApiError(await call(alice, 'GET', `/api/users/${'x'.repeat(65)}`), 400, 91000);
  });
});
