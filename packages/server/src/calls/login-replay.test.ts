import { afterEach, describe, expect, test } from 'vitest';
import type { CallStore } from '../store/port.js';
import { Phones } from './test-support/phones.js';

let p: Phones;
afterEach(() => p.close());

/**
 * Holds the next `ringing()` read of the store (the login's read of what still rings for the user), before
 * it runs or after it ran and before its answer is seen: other commands interleave there.
 */
function holdRinging(calls: CallStore, when: 'before' | 'after') {
  const ringing = calls.ringing.bind(calls);
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reached = () => {};
  const held = new Promise<void>((resolve) => {
    reached = resolve;
  });
  calls.ringing = async (...args) => {
    calls.ringing = ringing;
    reached();
    if (when === 'before') await gate;
    const answer = await ringing(...args);
    if (when === 'after') await gate;
    return answer;
  };
  return { held, release };
}

describe('login replays what still rings, in order with what happens meanwhile', () => {
  test('a cancel committed between the read and the replay: the new session does not ring after it', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    const hold = holdRinging(p.ctx.store.calls, 'after');
    const login = p.login('bob');
    await hold.held;
    await p.service.cancel(alice, r.inviteID);
    hold.release();
    const bob = await login;
    const events = p.events(bob);
    expect(events.at(-1)).toBe('onCallingCancel');
    expect(events.lastIndexOf('onInvited')).toBeLessThan(events.lastIndexOf('onCallingCancel'));
  });

  test('a timeout fired between the read and the replay: no INVITED after CALLING_TIMEOUT', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1, timeout: 5 });
    p.ctx.clock.advance(4_999);
    const hold = holdRinging(p.ctx.store.calls, 'after');
    const login = p.login('bob');
    await hold.held;
    p.ctx.clock.advance(1);
    expect(await p.service.sweep()).toBe(1);
    hold.release();
    const bob = await login;
    expect(p.take(bob).at(-1)).toMatchObject({ event: 'onCallingTimeout', inviteID: r.inviteID });
  });

  test('an invitation rung live while the login reads is not rung a second time by the replay', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const hold = holdRinging(p.ctx.store.calls, 'before');
    const login = p.login('bob');
    await hold.held;
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    hold.release();
    const bob = await login;
    expect(p.take(bob)).toEqual([expect.objectContaining({ event: 'onInvited', inviteID: r.inviteID })]);
  });

  test('multi-device: another device accepting while this one logs in stops it (answered elsewhere)', async () => {
    p = await Phones.open({ multiDevice: true });
    const alice = await p.login('alice');
    const phone = await p.login('bob');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    const hold = holdRinging(p.ctx.store.calls, 'after');
    const login = p.login('bob');
    await hold.held;
    await p.service.accept(phone, r.inviteID);
    hold.release();
    const laptop = await login;
    expect(p.events(laptop)).toEqual(['onCallingCancel']);
  });
});
