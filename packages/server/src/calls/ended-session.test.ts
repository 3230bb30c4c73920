/**
 * Calling core, found in review: a session ending (logout, kick, the gateway's grace) while one of its
 * commands is between its store reads and its commit. Both are started in the same tick, so their store awaits
 * interleave as they would with any store that does I/O (the Postgres adapter of DESIGN.md).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { Phones } from './test-support/phones.js';

let p: Phones;

/** What a command racing its session's end came to: either of the first two is fine, a fault is not. */
const outcome = (command: Promise<unknown>) =>
  command.then(
    () => 'done',
    (err: { code?: unknown }) => (typeof err?.code === 'number' ? 'refused with a code' : 'fault'),
  );
afterEach(() => p.close());

describe('a command in flight when its session ends', () => {
  test('an accept that commits after its session logged out does not leave a member nobody holds', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const bob = await p.login('bob');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    // Bob's accept is in flight when his session ends (another tab's login, userSig expiry, the grace).
    const accepted = outcome(p.service.accept(bob, r.inviteID));
    await p.service.logout(bob);
    expect(await accepted).not.toBe('fault');
    const call = await p.ctx.store.calls.getCall(r.callId);
    const ghost = call?.members.find((m) => m.userId === 'bob' && m.leftAt === null);

    // later invitation to bob is LINE_BUSY until he happens to log in again (liveness only evicts dead nodes).
    expect(ghost).toBeUndefined();
  });

  test('an invite that commits after its session logged out does not leave the caller busy', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    await p.login('bob');
    const invited = outcome(p.service.invite(alice, { userIDList: ['bob'], type: 1 }));
    await p.service.logout(alice);
    expect(await invited).not.toBe('fault');
    const calls = await p.ctx.store.calls.activeCalls({ sdkAppId: p.app.sdkAppId, userId: 'alice' });
    expect(calls).toEqual([]);
  });
});
