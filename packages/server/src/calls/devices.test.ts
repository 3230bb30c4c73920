import { afterEach, describe, expect, test } from 'vitest';
import { Phones } from './test-support/phones.js';

let p: Phones;
afterEach(() => p.close());

describe('single-device (default): a later login kicks the earlier', () => {
  test('the earlier session hears KICKED_OUT (multipleAccount) and is gone; the new one gets the ringing invite', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const bob1 = await p.login('bob');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    p.clearAll();
    const bob2 = await p.login('bob');
    expect(p.take(bob1)).toEqual([{ event: 'onKickedOut', reason: 'multipleAccount' }]);
    expect(p.take(bob2)).toMatchObject([{ event: 'onInvited', inviteID: r.inviteID }]);
    expect(p.service.session(bob1)).toBeUndefined();
    await expect(p.service.accept(bob1, r.inviteID)).rejects.toMatchObject({ code: 2024 });
    await p.service.accept(bob2, r.inviteID);
    expect(p.events(alice)).toEqual(['onUserAccept', 'onUserEnter']);
  });

  test('a kicked session in a call hangs up first (MP handleKickedOut), then hears KICKED_OUT', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const bob1 = await p.login('bob');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    await p.service.accept(bob1, r.inviteID);
    p.clearAll();
    const { kicked } = await p.service.login({
      sessionId: 'bob-tablet',
      appid: p.app.appid,
      sdkAppId: p.app.sdkAppId,
      userId: 'bob',
    });
    expect(kicked).toEqual([bob1]);
    expect(p.events(bob1)).toEqual(['onCallEnd', 'onKickedOut']);
    expect(p.events(alice)).toEqual(['onUserLeave', 'onCallEnd']);
    expect(p.take('bob-tablet')).toEqual([]);
  });
});

describe('multi-device (app option)', () => {
  test('every session rings; the first accept wins; the others stop with answered_elsewhere', async () => {
    p = await Phones.open({ multiDevice: true });
    const alice = await p.login('alice');
    const phone = await p.login('bob');
    const laptop = await p.login('bob');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    expect(p.events(phone)).toEqual(['onInvited']);
    expect(p.events(laptop)).toEqual(['onInvited']);
    await p.service.accept(laptop, r.inviteID);
    expect(p.take(phone)).toEqual([
      { event: 'onCallingCancel', callId: r.callId, inviteID: r.inviteID, reason: 'answered_elsewhere' },
    ]);
    expect(p.events(laptop)).toEqual(['onUserEnter']);
    await expect(p.service.accept(phone, r.inviteID)).rejects.toMatchObject({ code: 8010 });
    // Call events go to the device in the call only; the phone can neither relay nor hang up for it.
    await p.service.setMedia(alice, r.callId, { audio: false });
    expect(p.events(laptop)).toEqual(['onUserAudioAvailable']);
    expect(p.events(phone)).toEqual([]);
    await expect(p.service.relay(phone, r.callId, 'alice', {})).rejects.toMatchObject({ code: 8011 });
    await expect(p.service.hangup(phone)).rejects.toMatchObject({ code: 94002 });
  });

  test('only the device in the call invites more people into it; another device gets 94002', async () => {
    p = await Phones.open({ multiDevice: true });
    const alice = await p.login('alice');
    const phone = await p.login('bob');
    const laptop = await p.login('bob');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    await p.service.accept(laptop, r.inviteID);
    await p.login('carol');
    await expect(
      p.service.invite(phone, { userIDList: ['carol'], type: 2, callId: r.callId }),
    ).rejects.toMatchObject({
      code: 94002,
    });
    expect((await p.ctx.store.calls.getCall(r.callId))?.invitees.map((i) => i.userId)).toEqual(['bob']);
    const more = await p.service.invite(laptop, { userIDList: ['carol'], type: 2, callId: r.callId });
    expect(more.callId).toBe(r.callId);
  });

  test('a reject on one device stops the others with rejected_elsewhere', async () => {
    p = await Phones.open({ multiDevice: true });
    const alice = await p.login('alice');
    const phone = await p.login('bob');
    const laptop = await p.login('bob');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    p.clearAll();
    await p.service.reject(phone, r.inviteID);
    expect(p.take(laptop)).toMatchObject([{ event: 'onCallingCancel', reason: 'rejected_elsewhere' }]);
    expect(p.events(alice)).toEqual(['onReject', 'onCallEnd']);
  });

  test('two devices accepting at once: exactly one wins, the other gets 8010', async () => {
    p = await Phones.open({ multiDevice: true });
    const alice = await p.login('alice');
    const phone = await p.login('bob');
    const laptop = await p.login('bob');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    const results = await Promise.allSettled([
      p.service.accept(phone, r.inviteID),
      p.service.accept(laptop, r.inviteID),
    ]);
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((x) => x.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: 8010 });
    const call = await p.ctx.store.calls.getCall(r.callId);
    expect(call?.members.map((m) => m.userId)).toEqual(['alice', 'bob']);
    expect(p.take(alice).filter((s) => s.event === 'onUserAccept')).toHaveLength(1);
  });

  test('a second login does not kick; both stay', async () => {
    p = await Phones.open({ multiDevice: true });
    const one = await p.login('bob');
    const two = await p.login('bob');
    expect(p.take(one)).toEqual([]);
    expect(p.service.sessionsOf({ sdkAppId: p.app.sdkAppId, userId: 'bob' })).toEqual([one, two]);
  });
});
