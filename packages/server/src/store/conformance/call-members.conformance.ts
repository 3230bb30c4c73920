import { describe, expect, test } from 'vitest';
import type { AppRecord, Store } from '../port.js';
import { app, invitation, newCall } from './calls.conformance.js';
import { type StoreFixture, T0 } from './fixture.conformance.js';

const SEC = 1000;

/** alice (node-a) calls bob and carol; bob answers from node-b. */
async function call(store: Store, a: AppRecord) {
  const c = newCall(a, 'alice');
  const inv = invitation(c.callId, 'alice', ['bob', 'carol'], { inviterNodeId: 'node-a' });
  const out = await store.calls.start(c, inv);
  if (!out.ok) throw new Error(`start: ${out.reason}`);
  const answered = await store.calls.settle(
    inv.inviteId,
    'bob',
    'answered',
    T0 + SEC,
    'bob#1',
    undefined,
    'node-b',
  );
  if (!answered.ok) throw new Error(`settle: ${answered.reason}`);
  return { callId: c.callId, inviteId: inv.inviteId };
}

/**
 * The member rows beyond join/leave: the relay's narrow membership read, each member's camera/mic, and node
 * liveness (the node that joined each member, heartbeats, members of silent nodes).
 */
export function callMembersConformance(f: StoreFixture): void {
  describe('call members: relay check, media state, node liveness', () => {
    test('membersIn: only the named users in the running call of that app, without the rest', async () => {
      const a = await app(f.store);
      const { callId } = await call(f.store, a);
      const rows = await f.store.calls.membersIn(callId, a.sdkAppId, ['alice', 'bob', 'carol', 'zed']);
      expect(rows.map((m) => m.userId).sort()).toEqual(['alice', 'bob']);
      expect(rows.find((m) => m.userId === 'bob')).toEqual({
        userId: 'bob',
        sessionId: 'bob#1',
        joinedAt: T0 + SEC,
        leftAt: null,
        nodeId: 'node-b',
        video: null,
        audio: null,
      });
      expect(await f.store.calls.membersIn(callId, a.sdkAppId + 1, ['alice'])).toEqual([]);
      expect(await f.store.calls.membersIn('nope', a.sdkAppId, ['alice'])).toEqual([]);
      expect(await f.store.calls.membersIn(callId, a.sdkAppId, [])).toEqual([]);
      await f.store.calls.leave(callId, 'bob', T0 + 2 * SEC);
      expect(
        (await f.store.calls.membersIn(callId, a.sdkAppId, ['alice', 'bob'])).map((m) => m.userId),
      ).toEqual(['alice']);
      // alice leaving cancels carol's ringing: the call ends and nobody is in it.
      await f.store.calls.leave(callId, 'alice', T0 + 3 * SEC);
      expect(await f.store.calls.membersIn(callId, a.sdkAppId, ['alice', 'bob'])).toEqual([]);
    });

    test('setMedia: what is given is kept, the rest stays; only for a member in the call; a rejoin resets', async () => {
      const a = await app(f.store);
      const { callId } = await call(f.store, a);
      expect(await f.store.calls.setMedia(callId, 'bob', { video: false })).toBe(true);
      expect(await f.store.calls.setMedia(callId, 'bob', { audio: true })).toBe(true);
      expect(await f.store.calls.setMedia(callId, 'alice', { video: true, audio: false })).toBe(true);
      expect(await f.store.calls.setMedia(callId, 'carol', { video: true })).toBe(false);
      const members = (await f.store.calls.getCall(callId))?.members;
      expect(members?.map((m) => [m.userId, m.video, m.audio])).toEqual([
        ['alice', true, false],
        ['bob', false, true],
      ]);
      await f.store.calls.leave(callId, 'bob', T0 + 2 * SEC);
      expect(await f.store.calls.setMedia(callId, 'bob', { video: true })).toBe(false);
      const again = await f.store.calls.inviteMore(
        invitation(callId, 'alice', ['bob'], { createdAt: T0 + 3 * SEC }),
      );
      if (!again.ok) throw new Error('inviteMore');
      await f.store.calls.settle(again.invitation.inviteId, 'bob', 'answered', T0 + 4 * SEC, 'bob#2');
      const bob = (await f.store.calls.getCall(callId))?.members.find((m) => m.userId === 'bob');
      expect(bob).toMatchObject({ sessionId: 'bob#2', leftAt: null, nodeId: null, video: null, audio: null });
    });

    test('stranded: members of nodes last seen before the bound; a join or heartbeat counts as seen', async () => {
      const a = await app(f.store);
      const { callId } = await call(f.store, a);
      // node-a was seen at T0 (alice joined), node-b at T0 + 1 s (bob answered).
      expect(await f.store.calls.stranded(T0, 10)).toEqual([]);
      expect(await f.store.calls.stranded(T0 + 1, 10)).toEqual([
        { callId, userId: 'alice', nodeId: 'node-a' },
      ]);
      expect(await f.store.calls.stranded(T0 + SEC + 1, 10)).toEqual([
        { callId, userId: 'alice', nodeId: 'node-a' },
        { callId, userId: 'bob', nodeId: 'node-b' },
      ]);
      expect(await f.store.calls.stranded(T0 + SEC + 1, 1)).toHaveLength(1);
      await f.store.calls.heartbeat('node-a', T0 + 10 * SEC);
      // A heartbeat never moves a node's time back.
      await f.store.calls.heartbeat('node-a', T0 + 5 * SEC);
      expect(await f.store.calls.stranded(T0 + 10 * SEC, 10)).toEqual([
        { callId, userId: 'bob', nodeId: 'node-b' },
      ]);
      await f.store.calls.leave(callId, 'bob', T0 + 11 * SEC);
      expect(await f.store.calls.stranded(T0 + 10 * SEC, 10)).toEqual([]);
    });

    test('leave from a node is compare-and-set: a member who rejoined from another node stays', async () => {
      const a = await app(f.store);
      const { callId } = await call(f.store, a);
      expect(await f.store.calls.leave(callId, 'bob', T0 + 2 * SEC, undefined, 'node-a')).toEqual({
        ok: false,
        reason: 'not_member',
      });
      expect(await f.store.calls.leave(callId, 'bob', T0 + 2 * SEC, undefined, 'node-b')).toMatchObject({
        ok: true,
        ended: false,
      });
    });

    test('forgetNodes: silent nodes with nobody left in a call; never one that still has members', async () => {
      const a = await app(f.store);
      const { callId } = await call(f.store, a);
      await f.store.calls.heartbeat('node-idle', T0);
      expect(await f.store.calls.forgetNodes(T0 + 60 * SEC)).toBe(1);
      expect(await f.store.calls.stranded(T0 + 60 * SEC, 10)).toHaveLength(2);
      await f.store.calls.leave(callId, 'bob', T0 + 2 * SEC);
      expect(await f.store.calls.forgetNodes(T0 + 60 * SEC)).toBe(1);
      expect(await f.store.calls.stranded(T0 + 60 * SEC, 10)).toEqual([
        { callId, userId: 'alice', nodeId: 'node-a' },
      ]);
      expect(await f.store.calls.forgetNodes(T0 + 60 * SEC)).toBe(0);
    });
  });
}
