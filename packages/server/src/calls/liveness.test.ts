import { afterEach, describe, expect, test, vi } from 'vitest';
import type { CallService } from './service.js';
import { Phones } from './test-support/phones.js';

let p: Phones;
afterEach(() => p.close());

/** Default staleness window: 3 × the default 1 s sweep interval. */
const WINDOW = 3_000;

/**
 * Two nodes on one store: `a` (the one that will crash) holds alice, `p.service` (node B) holds bob and
 * carol. alice calls bob, bob answers; both nodes have swept once (heartbeat).
 */
async function callAcrossNodes() {
  p = await Phones.open();
  const a = p.newService({ nodeId: 'node-a' });
  const alice = await p.login('alice', a);
  const bob = await p.login('bob');
  const carol = await p.login('carol');
  const r = await a.invite(alice, { userIDList: ['bob'], type: 2 });
  await p.service.accept(bob, r.inviteID);
  await Promise.all([a.sweep(), p.service.sweep()]);
  p.clearAll();
  return { a, alice, bob, carol, r };
}

const member = async (callId: string, userId: string) =>
  (await p.ctx.store.calls.getCall(callId))?.members.find((m) => m.userId === userId);

describe('node liveness: members of a dead node leave their calls', () => {
  test('each member row records the node that joined it', async () => {
    const { a, r } = await callAcrossNodes();
    expect(a.nodeId).toBe('node-a');
    expect(await member(r.callId, 'alice')).toMatchObject({ nodeId: 'node-a' });
    expect(await member(r.callId, 'bob')).toMatchObject({ nodeId: p.service.nodeId });
    expect(p.service.nodeId).not.toBe('node-a');
  });

  test('A crashes: past the window B’s sweep evicts alice; bob hears USER_LEAVE and CALL_END; alice is not busy', async () => {
    const { bob, carol, r } = await callAcrossNodes();
    const talk = 42_000;
    // Node A dies here: it never sweeps (heartbeats) again. B keeps sweeping, within the window nothing moves.
    p.ctx.clock.advance(WINDOW);
    await p.service.sweep();
    expect(p.take(bob)).toEqual([]);
    expect(await member(r.callId, 'alice')).toMatchObject({ leftAt: null });
    p.ctx.clock.advance(talk - WINDOW);
    await p.service.sweep();
    expect(p.take(bob)).toEqual([
      { event: 'onUserLeave', callId: r.callId, userID: 'alice' },
      { event: 'onCallEnd', callId: r.callId, userID: 'alice', callEnd: talk / 1000 },
    ]);
    expect(await p.ctx.store.calls.getCall(r.callId)).toMatchObject({
      endedAt: p.ctx.clock.now(),
      endedBy: 'alice',
      duration: talk / 1000,
    });
    const next = await p.service.invite(carol, { userIDList: ['alice'], type: 1 });
    expect(next.invitees).toEqual([{ userID: 'alice', state: 'pending' }]);
    expect(p.events(carol)).not.toContain('onLineBusy');
  });

  test('the evicted member’s own ringing invitations are cancelled, as a hangup would', async () => {
    const { a, alice, bob, carol, r } = await callAcrossNodes();
    const more = await a.invite(alice, { userIDList: ['carol'], type: 2, callId: r.callId });
    p.clearAll();
    p.ctx.clock.advance(WINDOW + 1);
    await p.service.sweep();
    expect(p.take(carol)).toEqual([{ event: 'onCallingCancel', callId: r.callId, inviteID: more.inviteID }]);
    expect(p.events(bob)).toEqual(['onUserLeave', 'onCallEnd']);
  });

  test('two live nodes sweeping in turn never evict each other’s members', async () => {
    const { a, bob, r } = await callAcrossNodes();
    for (let i = 0; i < 20; i++) {
      p.ctx.clock.advance(1_000);
      await (i % 2 ? a : p.service).sweep();
    }
    expect(p.take(bob)).toEqual([]);
    expect((await p.ctx.store.calls.getCall(r.callId))?.endedAt).toBeNull();
    expect(await member(r.callId, 'alice')).toMatchObject({ leftAt: null });
  });

  test('a node never evicts its own members, however late its own sweep', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const bob = await p.login('bob');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    await p.service.accept(bob, r.inviteID);
    p.clearAll();
    p.ctx.clock.advance(60_000);
    await p.service.sweep();
    expect(p.take(bob)).toEqual([]);
    expect(await member(r.callId, 'alice')).toMatchObject({ leftAt: null });
    expect(await member(r.callId, 'bob')).toMatchObject({ leftAt: null });
  });

  test('the window is an option', async () => {
    p = await Phones.open();
    const a = p.newService({ nodeId: 'node-a' });
    const b = p.newService({ nodeId: 'node-b', nodeStaleAfterMs: 60_000 });
    const alice = await p.login('alice', a);
    const bob = await p.login('bob', b);
    const r = await a.invite(alice, { userIDList: ['bob'], type: 2 });
    await b.accept(bob, r.inviteID);
    p.ctx.clock.advance(60_000);
    await b.sweep();
    expect(await member(r.callId, 'alice')).toMatchObject({ leftAt: null });
    p.ctx.clock.advance(1);
    await b.sweep();
    expect(await member(r.callId, 'alice')).toMatchObject({ leftAt: p.ctx.clock.now() });
  });
});

describe('startSweeping: the single boot entry point', () => {
  async function overdueCall() {
    p = await Phones.open();
    const alice = await p.login('alice');
    await p.service.invite(alice, { userIDList: ['bob'], type: 1, timeout: 5 });
    p.ctx.clock.advance(5_000);
    p.clearAll();
    return alice;
  }

  test('sweeps once at once: an overdue invitation fires without waiting an interval', async () => {
    const alice = await overdueCall();
    const stop = p.service.startSweeping(3_600_000);
    try {
      await vi.waitFor(() => expect(p.events(alice)).toEqual(['onNoResp', 'onCallEnd']));
    } finally {
      stop();
    }
  });

  test('the window follows the sweep interval (3×)', async () => {
    p = await Phones.open();
    const a = p.newService({ nodeId: 'node-a' });
    const b: CallService = p.service;
    const alice = await p.login('alice', a);
    const bob = await p.login('bob', b);
    const r = await a.invite(alice, { userIDList: ['bob'], type: 2 });
    await b.accept(bob, r.inviteID);
    const stop = b.startSweeping(3_600_000);
    try {
      // 3 × 1 h: A, last seen when alice joined, is not stale after 2 h.
      p.ctx.clock.advance(2 * 3_600_000);
      await b.sweep();
      expect(await member(r.callId, 'alice')).toMatchObject({ leftAt: null });
      p.ctx.clock.advance(3_600_000 + 1);
      await b.sweep();
      expect(await member(r.callId, 'alice')).toMatchObject({ leftAt: p.ctx.clock.now() });
    } finally {
      stop();
    }
  });
});
