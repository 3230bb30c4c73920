import { afterEach, describe, expect, test } from 'vitest';
import type { CallStore } from '../store/port.js';
import { Phones } from './test-support/phones.js';

let p: Phones;
afterEach(() => p.close());

/**
 * Holds the next `markRung` (the store write an invite makes after its commit, once INVITED went out) until
 * `release()`: a slow store, as a busy disk makes it.
 */
function holdMarkRung(calls: CallStore): { release: () => void } {
  const markRung = calls.markRung.bind(calls);
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  calls.markRung = async (...args) => {
    calls.markRung = markRung;
    await gate;
    return markRung(...args);
  };
  return { release };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('signal order: what a command says is sent right after its commit, before any later write', () => {
  test('a cancel racing a slow write after the invite cannot reach an invitee before its INVITED', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const bob = await p.login('bob');
    const carol = await p.login('carol');
    const held = holdMarkRung(p.ctx.store.calls);
    const inviting = p.service.invite(alice, { userIDList: ['bob', 'carol'], type: 1 });
    await settle();
    const invited = p.inbox(bob).find((s) => s.event === 'onInvited');
    expect(invited).toBeDefined();
    await p.service.cancel(alice, (invited as { inviteID: string }).inviteID);
    held.release();
    await inviting;
    expect(p.events(carol)).toEqual(['onInvited', 'onCallingCancel']);
    expect(p.events(bob)).toEqual(['onInvited', 'onCallingCancel']);
  });

  test('no list update after CALL_END: a hangup racing the reject of the last ringing invitee', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const bob = await p.login('bob');
    const carol = await p.login('carol');
    const r = await p.service.invite(alice, { userIDList: ['bob', 'carol'], type: 1 });
    await p.service.accept(bob, r.inviteID);
    p.clearAll();
    // carol rejects while alice hangs up: bob is alone and the call ends.
    await Promise.all([p.service.reject(carol, r.inviteID), p.service.hangup(alice)]);
    const events = p.events(bob);
    expect(events.at(-1)).toBe('onCallEnd');
    expect(events).toEqual(['onGroupCallInviteeListUpdate', 'onUserLeave', 'onCallEnd']);
  });

  test('a deliver that throws loses only its own signal: the others still go out, the command succeeds', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const bob = await p.login('bob');
    const carol = await p.login('carol');
    p.unreachable.add(bob);
    const r = await p.service.invite(alice, { userIDList: ['bob', 'carol'], type: 1 });
    expect(p.take(carol)).toMatchObject([{ event: 'onInvited', inviteID: r.inviteID }]);
    expect(p.take(bob)).toEqual([]);
    expect(p.warnings).toMatchObject([{ msg: 'call signal not delivered', obj: { userId: 'bob' } }]);
    expect((await p.webhooks()).map((w) => w.event)).toEqual(['call_invited_event', 'call_invited_event']);
  });
});
