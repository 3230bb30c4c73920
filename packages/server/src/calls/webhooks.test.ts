import { afterEach, describe, expect, test } from 'vitest';
import { Phones } from './test-support/phones.js';

let p: Phones;
afterEach(() => p.close());

/** Lets every pending continuation run (the store's own work is synchronous). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The node dies right after a commit: from then on nothing the command would do after the store call runs.
 * Simulated by a push store whose separate writes never finish (a process that is gone writes nothing).
 */
function dieAfterCommit(p: Phones): void {
  p.ctx.store.push.enqueue = () => new Promise(() => {});
}

describe('call webhooks are written in the transaction of the change they report', () => {
  test('every change committed has its webhooks in the outbox, even if the node dies right after the commit', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const bob = await p.login('bob');
    const carol = await p.login('carol');
    const dave = await p.login('dave');
    const busy = await p.service.invite(dave, { userIDList: ['erin'], type: 1, timeout: 120 });
    dieAfterCommit(p);
    const hooks = async () => (await p.webhooks()).map((w) => [w.event, w.userId]);

    // Each command is started and not awaited: only what its commit wrote may count.
    void p.service.invite(alice, { userIDList: ['bob', 'carol', 'dave', 'frank'], type: 2 });
    await settle();
    const call = (await p.ctx.store.calls.activeCalls({ sdkAppId: p.app.sdkAppId, userId: 'alice' }))[0]!;
    const inviteId = call.invitees[0]!.inviteId;
    expect((await hooks()).slice(-4)).toEqual([
      ['call_invited_event', 'bob'],
      ['call_invited_event', 'carol'],
      ['call_busy_event', 'dave'],
      ['call_invited_event', 'frank'],
    ]);

    void p.service.accept(bob, inviteId);
    await settle();
    expect((await hooks()).slice(-1)).toEqual([['call_answered_event', 'bob']]);

    void p.service.reject(carol, inviteId);
    await settle();
    expect((await hooks()).slice(-1)).toEqual([['call_rejected_event', 'carol']]);

    p.ctx.clock.advance(30_000);
    void p.service.sweep();
    await settle();
    expect((await hooks()).slice(-1)).toEqual([['call_no_answer_event', 'frank']]);

    void p.service.hangup(alice);
    await settle();
    expect((await p.ctx.store.calls.getCall(call.callId))?.endedAt).not.toBeNull();
    expect((await hooks()).slice(-1)).toEqual([['call_ended_event', 'alice']]);

    void p.service.cancel(dave, busy.inviteID);
    await settle();
    expect((await hooks()).slice(-2)).toEqual([
      ['call_cancelled_event', 'erin'],
      ['call_ended_event', 'dave'],
    ]);
  });

  test('a member leaving cancels the invitations they sent: the cancelled webhooks come with the leave', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const bob = await p.login('bob');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    await p.service.accept(bob, r.inviteID);
    const more = await p.service.invite(alice, { userIDList: ['carol'], type: 1, callId: r.callId });
    dieAfterCommit(p);
    void p.service.hangup(alice);
    await settle();
    const [cancelled, ended] = (await p.webhooks()).slice(-2);
    expect(cancelled).toMatchObject({
      event: 'call_cancelled_event',
      userId: 'carol',
      data: { InviteId: more.inviteID, Inviter: 'alice', Invitee: 'carol', Result: 'cancelled' },
    });
    expect(ended).toMatchObject({ event: 'call_ended_event', data: { CallId: r.callId } });
  });
});
