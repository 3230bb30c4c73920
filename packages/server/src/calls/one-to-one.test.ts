import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { code, Phones } from './test-support/phones.js';

let p: Phones;
let alice: string;
let bob: string;
beforeEach(async () => {
  p = await Phones.open();
  alice = await p.login('alice');
  bob = await p.login('bob');
});
afterEach(() => p.close());

describe('1:1 calls, spec §1.4 (who hears what)', () => {
  test('invite: bob hears INVITED with the web payload; alice hears nothing', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2, roomID: 777 });
    expect(r).toMatchObject({ roomID: 777, callType: 2, invitees: [{ userID: 'bob', state: 'pending' }] });
    expect(r.deadline).toBe(p.ctx.clock.now() + 30_000);
    expect(p.take(bob)).toEqual([
      {
        event: 'onInvited',
        callId: r.callId,
        inviteID: r.inviteID,
        sponsor: 'alice',
        userIDList: ['bob'],
        isFromGroup: false,
        groupID: null,
        inviteData: { version: 4, callType: 2, roomID: 777, callEnd: 0 },
        deadline: r.deadline,
      },
    ]);
    expect(p.take(alice)).toEqual([]);
  });

  test('hangup from a callee still ringing acts as reject (TRTCCalling): REJECT then CALL_END', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    p.clearAll();
    await p.service.hangup(bob);
    expect(p.take(alice)).toEqual([
      { event: 'onReject', callId: r.callId, userID: 'bob' },
      { event: 'onCallEnd', callId: r.callId, userID: 'bob', callEnd: 0 },
    ]);
    expect((await p.ctx.store.calls.getCall(r.callId))?.invitees[0]?.result).toBe('rejected');
    await expect(p.service.hangup(bob)).rejects.toMatchObject({ code: 94002 });
    await expect(p.service.hangup(bob, 'another-call')).rejects.toMatchObject({ code: 94002 });
  });

  test('accept: alice hears USER_ACCEPT and USER_ENTER, bob USER_ENTER of alice; both in the call', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    p.clearAll();
    const joined = await p.service.accept(bob, r.inviteID);
    expect(joined).toEqual({ callId: r.callId, roomID: r.roomID, callType: 1, members: ['alice', 'bob'] });
    expect(p.take(alice)).toEqual([
      { event: 'onUserAccept', callId: r.callId, userID: 'bob' },
      { event: 'onUserEnter', callId: r.callId, userID: 'bob' },
    ]);
    expect(p.take(bob)).toEqual([{ event: 'onUserEnter', callId: r.callId, userID: 'alice' }]);
  });

  test('reject: alice hears REJECT then CALL_END (0 s); bob hears nothing more', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    p.clearAll();
    await p.service.reject(bob, r.inviteID);
    expect(p.take(alice)).toEqual([
      { event: 'onReject', callId: r.callId, userID: 'bob' },
      { event: 'onCallEnd', callId: r.callId, userID: 'bob', callEnd: 0 },
    ]);
    expect(p.take(bob)).toEqual([]);
    expect((await p.ctx.store.calls.getCall(r.callId))?.endedAt).toBe(p.ctx.clock.now());
  });

  test('cancel: bob hears CALLING_CANCEL, alice CALL_END; a second cancel is 8010', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    p.clearAll();
    await p.service.cancel(alice, r.inviteID);
    expect(p.take(bob)).toEqual([{ event: 'onCallingCancel', callId: r.callId, inviteID: r.inviteID }]);
    expect(p.events(alice)).toEqual(['onCallEnd']);
    expect(await code(p.service.cancel(alice, r.inviteID))).toBe(8010);
  });

  test('hangup before an answer cancels (TRTCCalling hangup while calling)', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    p.clearAll();
    await p.service.hangup(alice);
    expect(p.events(bob)).toEqual(['onCallingCancel']);
    expect(p.events(alice)).toEqual(['onCallEnd']);
    expect((await p.ctx.store.calls.getCall(r.callId))?.invitees[0]?.result).toBe('cancelled');
  });

  test('hangup in a call: the other hears USER_LEAVE and CALL_END with the talk seconds; so does the leaver', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    p.ctx.clock.advance(4_000);
    await p.service.accept(bob, r.inviteID);
    p.ctx.clock.advance(73_400);
    p.clearAll();
    await p.service.hangup(bob, r.callId);
    expect(p.take(alice)).toEqual([
      { event: 'onUserLeave', callId: r.callId, userID: 'bob' },
      { event: 'onCallEnd', callId: r.callId, userID: 'bob', callEnd: 73 },
    ]);
    expect(p.take(bob)).toEqual([{ event: 'onCallEnd', callId: r.callId, userID: 'bob', callEnd: 73 }]);
    const call = await p.ctx.store.calls.getCall(r.callId);
    expect(call).toMatchObject({ duration: 73, endedBy: 'bob' });
    expect(await code(p.service.hangup(alice, r.callId))).toBe(94002);
  });

  test('logout of a member hangs up; the session can do nothing more (2024)', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    await p.service.accept(bob, r.inviteID);
    p.clearAll();
    await p.service.logout(bob);
    expect(p.events(alice)).toEqual(['onUserLeave', 'onCallEnd']);
    expect(await code(p.service.invite(bob, { userIDList: ['alice'], type: 1 }))).toBe(2024);
  });
});

describe('busy is decided by the server', () => {
  test('an invitee in a call auto-rejects with line busy: the inviter hears LINE_BUSY, then CALL_END', async () => {
    const carol = await p.login('carol');
    const first = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    await p.service.accept(bob, first.inviteID);
    p.clearAll();
    const r = await p.service.invite(carol, { userIDList: ['bob'], type: 1 });
    expect(r.invitees).toEqual([{ userID: 'bob', state: 'busy' }]);
    expect(p.take(carol)).toEqual([
      { event: 'onLineBusy', callId: r.callId, sponsor: 'carol', userID: 'bob' },
      { event: 'onCallEnd', callId: r.callId, userID: 'carol', callEnd: 0 },
    ]);
    expect(p.take(bob)).toEqual([]);
  });

  test('an invitee being called is busy too (one pending invitation at a time)', async () => {
    const carol = await p.login('carol');
    await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    const r = await p.service.invite(carol, { userIDList: ['bob'], type: 1 });
    expect(r.invitees[0]?.state).toBe('busy');
    expect(p.events(bob)).toEqual(['onInvited']);
  });

  test('a ringing invitation past its deadline no longer makes anyone busy, swept or not', async () => {
    const carol = await p.login('carol');
    await p.service.invite(alice, { userIDList: ['bob'], type: 1, timeout: 5 });
    p.ctx.clock.advance(5_000);
    const r = await p.service.invite(carol, { userIDList: ['bob'], type: 1 });
    expect(r.invitees[0]?.state).toBe('pending');
  });

  test('a caller who is ringing or in a call cannot start another (94001)', async () => {
    await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    expect(await code(p.service.invite(bob, { userIDList: ['carol'], type: 1 }))).toBe(94001);
  });
});

describe('refusals', () => {
  test('bad invites are 6017, naming the problem', async () => {
    const bad = [
      { userIDList: [], type: 1 },
      { userIDList: ['bad id!'], type: 1 },
      { userIDList: ['bob', 'bob'], type: 1 },
      { userIDList: ['alice'], type: 1 },
      { userIDList: ['bob'], type: 3 },
      { userIDList: ['bob'], type: 1, timeout: 0 },
      { userIDList: ['bob'], type: 1, timeout: 601 },
      { userIDList: ['bob'], type: 1, roomID: 0 },
      { userIDList: ['bob'], type: 1, groupID: '' },
    ];
    for (const cmd of bad)
      expect(await code(p.service.invite(alice, cmd as never)), JSON.stringify(cmd)).toBe(6017);
    expect(await code(p.service.handle(alice, { type: 'call.invite' } as never))).toBe(6017);
    expect(await code(p.service.handle(alice, { type: 'call.nope' } as never))).toBe(6017);
    expect(p.take(bob)).toEqual([]);
  });

  test('unknown or processed inviteIDs are 8010; answering for someone else or cancelling theirs is 8011', async () => {
    const carol = await p.login('carol');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    expect(await code(p.service.accept(bob, 'no-such-invite'))).toBe(8010);
    expect(await code(p.service.accept(carol, r.inviteID))).toBe(8011);
    expect(await code(p.service.cancel(bob, r.inviteID))).toBe(8011);
    await p.service.accept(bob, r.inviteID);
    expect(await code(p.service.reject(bob, r.inviteID))).toBe(8010);
    expect(await code(p.service.accept('not-a-session', r.inviteID))).toBe(2024);
  });

  test("another app's user with the same userID cannot touch the invitation (8010)", async () => {
    const other = await p.ctx.store.apps.create({
      ...p.app,
      appid: 'wx0000000000000001',
      sdkAppId: p.app.sdkAppId + 1,
    });
    expect(other).toBe(true);
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    const otherBob = 'other-bob';
    await p.service.login({
      sessionId: otherBob,
      appid: 'wx0000000000000001',
      sdkAppId: p.app.sdkAppId + 1,
      userId: 'bob',
    });
    expect(p.take(otherBob)).toEqual([]);
    expect(await code(p.service.accept(otherBob, r.inviteID))).toBe(8010);
  });
});

describe('media state and relay', () => {
  test('camera/mic changes reach the other member; relay only between members of the same call', async () => {
    const carol = await p.login('carol');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    expect(await code(p.service.relay(alice, r.callId, 'bob', { sdp: 'x' }))).toBe(8011);
    await p.service.accept(bob, r.inviteID);
    p.clearAll();
    await p.service.setMedia(alice, r.callId, { video: false, audio: true });
    expect(p.take(bob)).toEqual([
      { event: 'onUserVideoAvailable', callId: r.callId, userID: 'alice', isVideoAvailable: false },
      { event: 'onUserAudioAvailable', callId: r.callId, userID: 'alice', isAudioAvailable: true },
    ]);
    expect(p.take(alice)).toEqual([]);
    await p.service.relay(bob, r.callId, 'alice', { candidate: 'c1' });
    expect(p.take(alice)).toEqual([
      { event: 'onRelay', callId: r.callId, userID: 'bob', data: { candidate: 'c1' } },
    ]);
    expect(await code(p.service.relay(alice, r.callId, 'carol', {}))).toBe(8011);
    expect(await code(p.service.relay(carol, r.callId, 'alice', {}))).toBe(94002);
    expect(await code(p.service.relay(alice, r.callId, 'alice', {}))).toBe(8011);
    expect(await code(p.service.setMedia(alice, r.callId, { video: 'yes' as never }))).toBe(6017);
    expect(p.take(carol)).toEqual([]);
    await p.service.hangup(alice);
    expect(await code(p.service.relay(bob, r.callId, 'alice', {}))).toBe(94002);
  });
});
