import { afterEach, describe, expect, test } from 'vitest';
import { Phones } from './test-support/phones.js';

let p: Phones;
afterEach(() => p.close());

describe('kick: the gateway ends a session (userSig expiry)', () => {
  test('the session hangs up its call, hears KICKED_OUT with the reason, and is gone', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const bob = await p.login('bob');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    await p.service.accept(bob, r.inviteID);
    p.clearAll();
    await p.service.kick(bob, 'userSigExpired');
    expect(p.take(bob)).toEqual([
      { event: 'onCallEnd', callId: r.callId, userID: 'bob', callEnd: 0 },
      { event: 'onKickedOut', reason: 'userSigExpired' },
    ]);
    expect(p.events(alice)).toEqual(['onUserLeave', 'onCallEnd']);
    expect(p.service.session(bob)).toBeUndefined();
    await expect(p.service.hangup(bob)).rejects.toMatchObject({ code: 2024 });
    expect((await p.ctx.store.calls.getCall(r.callId))?.endedBy).toBe('bob');
  });

  test('like logout, invitations keep ringing: the next login gets them; other devices stay', async () => {
    p = await Phones.open({ multiDevice: true });
    const alice = await p.login('alice');
    const phone = await p.login('bob');
    const laptop = await p.login('bob');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    p.clearAll();
    await p.service.kick(phone, 'userSigExpired');
    expect(p.take(phone)).toEqual([{ event: 'onKickedOut', reason: 'userSigExpired' }]);
    expect(p.take(laptop)).toEqual([]);
    expect(p.service.sessionsOf({ sdkAppId: p.app.sdkAppId, userId: 'bob' })).toEqual([laptop]);
    const again = await p.login('bob');
    expect(p.take(again)).toMatchObject([{ event: 'onInvited', inviteID: r.inviteID }]);
    expect(p.take(alice)).toEqual([]);
  });

  test('an unknown or already ended session: nothing happens', async () => {
    p = await Phones.open();
    const bob = await p.login('bob');
    await p.service.logout(bob);
    await p.service.kick(bob, 'userSigExpired');
    await p.service.kick('nobody', 'multipleDevice');
    expect(p.take(bob)).toEqual([]);
  });
});
