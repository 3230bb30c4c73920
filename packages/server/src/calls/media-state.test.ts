import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { code, Phones } from './test-support/phones.js';

let p: Phones;
let alice: string;
let bob: string;
let carol: string;
beforeEach(async () => {
  p = await Phones.open();
  alice = await p.login('alice');
  bob = await p.login('bob');
  carol = await p.login('carol');
});
afterEach(() => p.close());

const video = (callId: string, userID: string, isVideoAvailable: boolean) => ({
  event: 'onUserVideoAvailable',
  callId,
  userID,
  isVideoAvailable,
});
const audio = (callId: string, userID: string, isAudioAvailable: boolean) => ({
  event: 'onUserAudioAvailable',
  callId,
  userID,
  isAudioAvailable,
});
const enter = (callId: string, userID: string) => ({ event: 'onUserEnter', callId, userID });

describe('relay: a narrow membership check on the hot path', () => {
  test('SDP/ICE relay never reads the whole call', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    await p.service.accept(bob, r.inviteID);
    p.clearAll();
    const getCall = vi.spyOn(p.ctx.store.calls, 'getCall');
    for (let i = 0; i < 5; i++) await p.service.relay(alice, r.callId, 'bob', { candidate: `c${i}` });
    expect(getCall).not.toHaveBeenCalled();
    expect(p.events(bob)).toEqual(Array(5).fill('onRelay'));
  });

  test('a member who left can no longer relay, nor be relayed to; the others still can', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob', 'carol'], type: 2 });
    await p.service.accept(bob, r.inviteID);
    await p.service.accept(carol, r.inviteID);
    await p.service.relay(carol, r.callId, 'alice', { sdp: 'offer' });
    await p.service.hangup(carol);
    p.clearAll();
    expect(await code(p.service.relay(carol, r.callId, 'alice', { sdp: 'x' }))).toBe(94002);
    expect(await code(p.service.relay(alice, r.callId, 'carol', { sdp: 'x' }))).toBe(8011);
    await p.service.relay(bob, r.callId, 'alice', { sdp: 'answer' });
    expect(p.take(alice)).toEqual([
      { event: 'onRelay', callId: r.callId, userID: 'bob', data: { sdp: 'answer' } },
    ]);
    expect(p.take(carol)).toEqual([]);
  });

  test('a leave through another node is seen at once by this node (no stale membership)', async () => {
    const other = p.newService();
    const bobThere = await p.login('bob', other);
    const r = await p.service.invite(alice, { userIDList: ['bob', 'carol'], type: 2 });
    await other.accept(bobThere, r.inviteID);
    await p.service.accept(carol, r.inviteID);
    // Accepted while bob is in (reaching his socket on the other node is the transport's business).
    expect(await code(p.service.relay(alice, r.callId, 'bob', { sdp: 'offer' }))).toBe(0);
    await other.hangup(bobThere);
    expect(await code(p.service.relay(alice, r.callId, 'bob', { sdp: 'again' }))).toBe(8011);
    expect(await code(p.service.relay(alice, r.callId, 'carol', { sdp: 'again' }))).toBe(0);
  });

  test('another app’s session naming the call is refused as not found', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    await p.service.accept(bob, r.inviteID);
    const stranger = 'bob@other-app';
    await p.service.login({
      sessionId: stranger,
      appid: 'wx0000000000000001',
      sdkAppId: p.app.sdkAppId + 1,
      userId: 'bob',
    });
    expect(await code(p.service.relay(stranger, r.callId, 'alice', {}))).toBe(94002);
  });
});

describe('media state is kept: a joiner learns the others’ camera/mic', () => {
  test('1:1: the caller turned the camera off while ringing; the callee hears it on accept', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    await p.service.setMedia(alice, r.callId, { video: false });
    p.clearAll();
    await p.service.accept(bob, r.inviteID);
    expect(p.take(bob)).toEqual([enter(r.callId, 'alice'), video(r.callId, 'alice', false)]);
  });

  test('group: a late joiner hears each member’s known state, after that member’s USER_ENTER', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    await p.service.accept(bob, r.inviteID);
    await p.service.setMedia(alice, r.callId, { video: false });
    await p.service.setMedia(bob, r.callId, { audio: false });
    await p.service.setMedia(bob, r.callId, { video: true });
    const more = await p.service.invite(alice, { userIDList: ['carol'], type: 2, callId: r.callId });
    p.clearAll();
    await p.service.accept(carol, more.inviteID);
    expect(p.take(carol)).toEqual([
      enter(r.callId, 'alice'),
      video(r.callId, 'alice', false),
      enter(r.callId, 'bob'),
      video(r.callId, 'bob', true),
      audio(r.callId, 'bob', false),
      { event: 'onGroupCallInviteeListUpdate', callId: r.callId, userIDList: [] },
    ]);
    // The members already in the call hear only the newcomer, whose state nobody knows yet.
    expect(p.events(alice)).toEqual(['onUserAccept', 'onUserEnter', 'onGroupCallInviteeListUpdate']);
  });

  test('nobody set anything: the joiner hears only USER_ENTER', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    p.clearAll();
    await p.service.accept(bob, r.inviteID);
    expect(p.take(bob)).toEqual([enter(r.callId, 'alice')]);
  });

  test('the state is stored on the member and reset when they join again', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob', 'carol'], type: 2 });
    await p.service.accept(bob, r.inviteID);
    await p.service.accept(carol, r.inviteID);
    await p.service.setMedia(bob, r.callId, { video: false, audio: true });
    const member = async (userId: string) =>
      (await p.ctx.store.calls.getCall(r.callId))?.members.find((m) => m.userId === userId);
    expect(await member('bob')).toMatchObject({ video: false, audio: true });
    expect(await member('carol')).toMatchObject({ video: null, audio: null });
    await p.service.hangup(bob);
    const again = await p.service.invite(alice, { userIDList: ['bob'], type: 2, callId: r.callId });
    await p.service.accept(bob, again.inviteID);
    expect(await member('bob')).toMatchObject({ leftAt: null, video: null, audio: null });
  });
});
