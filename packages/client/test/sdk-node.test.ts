/**
 * The SDK in Node against the real server: what needs no media (import without a DOM, events and their
 * strings, on/off, login and its refusals, invitations, reject, kick, reconnect and resume; 60006 where
 * WebRTC is missing). Media is the browser tests' (*.browser.test.ts).
 */
import { TRTC_CALLING_ERROR } from '@beckon/protocol';
import { describe, expect, test } from 'vitest';
import TRTCCalling from '../src/index.js';
import { codeOf, nodeWorld } from './support/node-world.js';
import { tcpProxy } from './support/tcp-proxy.js';

const world = nodeWorld();
const { sdkFor, raw, sig } = world;

describe('the component', () => {
  test('imports in Node without a DOM; EVENT has Tencent’s keys and strings', () => {
    // Tencent's strings written out here, not read from protocol's TRTC_CALLING_EVENT: pages compare against
    // them, so a change there must fail this test.
    expect(TRTCCalling.EVENT).toMatchObject({
      ERROR: 'onError',
      SDK_READY: 'sdkReady',
      INVITED: 'onInvited',
      USER_ACCEPT: 'onUserAccept',
      USER_ENTER: 'onUserEnter',
      USER_LEAVE: 'onUserLeave',
      REJECT: 'onReject',
      NO_RESP: 'onNoResp',
      LINE_BUSY: 'onLineBusy',
      CALLING_CANCEL: 'onCallingCancel',
      CALLING_TIMEOUT: 'onCallingTimeout',
      CALL_END: 'onCallEnd',
      CALLING_END: 'onCallEnd',
      KICKED_OUT: 'onKickedOut',
      USER_VIDEO_AVAILABLE: 'onUserVideoAvailable',
      USER_AUDIO_AVAILABLE: 'onUserAudioAvailable',
      USER_VOICE_VOLUME: 'onUserVoiceVolume',
      GROUP_CALL_INVITEE_LIST_UPDATE: 'onGroupCallInviteeListUpdate',
    });
    expect(TRTCCalling.isSupported()).toBe(false);
  });

  test('on/off with a context: the callback runs as the context; off removes only that pairing', async () => {
    const { sdk } = await sdkFor('alice');
    const seen: string[] = [];
    const ctxA = { name: 'a' };
    const ctxB = { name: 'b' };
    function handler(this: { name: string }) {
      seen.push(this.name);
    }
    sdk.on(TRTCCalling.EVENT.ERROR, handler, ctxA);
    sdk.on(TRTCCalling.EVENT.ERROR, handler, ctxB);
    await sdk.call({ userID: 'bob', type: 1 }).catch(() => {});
    expect(seen).toEqual(['a', 'b']);
    sdk.off(TRTCCalling.EVENT.ERROR, handler, ctxA);
    await sdk.call({ userID: 'bob', type: 1 }).catch(() => {});
    expect(seen).toEqual(['a', 'b', 'b']);
  });
});

describe('login', () => {
  test('SDK_READY after the server took the userSig; refusals carry their codes', async () => {
    const { events } = await sdkFor('alice');
    expect(events.map((e) => e.event)).toEqual(['sdkReady']);
    const sdk = new TRTCCalling({ SDKAppID: world.sdkAppId, server: world.url });
    expect(await codeOf(sdk.login({ userID: '', userSig: 'x' }))).toBe(TRTC_CALLING_ERROR.NO_IDENTIFIER);
    expect(await codeOf(sdk.login({ userID: 'bob', userSig: '' }))).toBe(TRTC_CALLING_ERROR.NO_USER_SIG);
    expect(await codeOf(sdk.login({ userID: 'bob', userSig: await sig('carol') }))).toBe(70013);
    const noApp = new TRTCCalling({ SDKAppID: 0, server: world.url });
    expect(await codeOf(noApp.login({ userID: 'bob', userSig: 'x' }))).toBe(TRTC_CALLING_ERROR.NO_SDK_APPID);
  });

  test('without WebRTC (Node), call() emits ERROR 60006 and rejects with it; nothing is sent', async () => {
    const { sdk, events } = await sdkFor('alice');
    const err = await sdk.call({ userID: 'bob', type: 2 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: TRTC_CALLING_ERROR.NOT_SUPPORT });
    expect(events.at(-1)).toMatchObject({ event: 'onError', payload: { code: 60006 } });
    expect(sdk.getCallStatus()).toBe('idle');
  });
});

describe('invitations', () => {
  test('INVITED carries Tencent’s payload; reject() reaches the caller as onReject', async () => {
    const alice = await raw('alice');
    const { sdk, waitFor } = await sdkFor('bob');
    const receipt = await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 2 } });
    const invited = await waitFor('onInvited');
    expect(invited.payload).toEqual({
      sponsor: 'alice',
      userIDList: ['bob'],
      isFromGroup: false,
      inviteID: receipt.inviteID,
      inviteData: { version: 4, callType: 2, roomID: receipt.roomID, callEnd: 0 },
    });
    expect(sdk.getCallStatus()).toBe('calling');
    await sdk.reject();
    expect(await alice.signal('onReject')).toMatchObject({ userID: 'bob' });
    expect(sdk.getCallStatus()).toBe('idle');
  });

  test('a cancelled invitation: CALLING_CANCEL and back to idle', async () => {
    const alice = await raw('alice');
    const { sdk, waitFor } = await sdkFor('bob');
    const { inviteID } = await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 1 } });
    await waitFor('onInvited');
    await alice.request('call.cancel', { inviteID });
    expect((await waitFor('onCallingCancel')).payload).toMatchObject({ inviteID });
    expect(sdk.getCallStatus()).toBe('idle');
  });
});

describe('the connection', () => {
  test('a second login of the same user: the first hears KICKED_OUT', async () => {
    const first = await sdkFor('bob');
    await sdkFor('bob');
    expect((await first.waitFor('onKickedOut')).payload).toEqual({
      reason: 'multipleAccount',
    });
  });

  test('after a drop it reconnects and resumes: an invitation made meanwhile still rings', async () => {
    const proxy = await tcpProxy(Number(new URL(world.url).port));
    world.closeAfter(proxy.close);
    const { sdk: bob, events, waitFor } = await sdkFor('bob', proxy.url);
    const session = () =>
      (bob as unknown as { signaling: { session: { sessionId: string; resumed: boolean } } }).signaling
        .session;
    const { sessionId } = session();
    proxy.cut(); // the network drops; the server holds bob's session for the grace
    const alice = await raw('alice');
    await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 1 } });
    await waitFor('onInvited', 8000);
    expect(events.map((e) => e.event)).toEqual(['sdkReady', 'onInvited']);
    expect(session()).toMatchObject({ sessionId, resumed: true });
    expect(world.beckon.app.gateway.stats().callSessions).toBe(2);
    await bob.reject();
    expect(await alice.signal('onReject')).toMatchObject({ userID: 'bob' });
  });
});
