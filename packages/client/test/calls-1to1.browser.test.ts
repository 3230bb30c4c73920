/**
 * Issue 6 §3 in Chromium: 1:1 calls between pages on the script-tag bundle, with real WebRTC media on
 * loopback (fake camera and microphone).
 */
import { describe, expect, test } from 'vitest';
import { browserWorld } from './support/world.js';

const world = browserWorld();
const phone = (userID: string, login = true) => world.phone(userID, login);

/** Past every ringing deadline: the server's sweep fires them (its clock is the test's). */
async function ringOut() {
  world.server.server.clock.advance(31_000);
  await world.server.server.app.calls.sweep();
}

describe('1:1 video', () => {
  test('each side decodes the other’s video; the hangup ends it on both sides', async () => {
    const alice = await phone('alice');
    const bob = await phone('bob');
    await alice.do('call', { userID: 'bob', type: 2 });
    const invited = await bob.next('onInvited');
    expect(invited.payload).toMatchObject({ sponsor: 'alice', userIDList: ['bob'], isFromGroup: false });
    expect(invited.payload.inviteData).toMatchObject({ version: 4, callType: 2, callEnd: 0 });
    await bob.do('accept');
    expect((await alice.next('onUserAccept')).payload).toEqual({ userID: 'bob' });
    await alice.next('onUserEnter');
    await bob.next('onUserEnter');
    await alice.decodes('bob');
    await bob.decodes('alice');
    // startRemoteView rendered the picture in the page's node.
    const size = await bob.page.evaluate(() => window.phone.remoteVideoSize('alice'));
    expect(size?.[0]).toBeGreaterThan(0);
    expect(await alice.status()).toBe('connected');
    await alice.do('hangup');
    expect((await bob.next('onCallEnd')).payload).toMatchObject({ userID: 'alice' });
    expect(await bob.status()).toBe('idle');
    expect(await alice.status()).toBe('idle');
    // The views the SDK made are gone, and the camera is released.
    expect(await bob.page.evaluate(() => document.querySelectorAll('#remotes video').length)).toBe(0);
    expect(await alice.framesDecoded('bob')).toBe(-1);
  });
});

describe('1:1 outcomes', () => {
  test('reject: the caller hears REJECT and CALL_END, and both are idle', async () => {
    const alice = await phone('alice');
    const bob = await phone('bob');
    await alice.do('call', { userID: 'bob', type: 1 });
    await bob.next('onInvited');
    await bob.do('reject');
    expect((await alice.next('onReject')).payload).toEqual({ userID: 'bob' });
    await alice.next('onCallEnd');
    expect(await alice.status()).toBe('idle');
    expect(await bob.status()).toBe('idle');
  });

  test('busy: calling someone in a call gives LINE_BUSY, and they never ring', async () => {
    const alice = await phone('alice');
    const bob = await phone('bob');
    const carol = await phone('carol');
    await bob.do('call', { userID: 'carol', type: 1 });
    await carol.next('onInvited');
    await carol.do('accept');
    await bob.next('onUserEnter');
    await alice.do('call', { userID: 'bob', type: 1 });
    expect((await alice.next('onLineBusy')).payload).toMatchObject({ userID: 'bob' });
    expect(await bob.heard('onInvited')).toBe(false);
    expect(await bob.status()).toBe('connected');
  });

  test('no answer: at the deadline the caller hears CALLING_TIMEOUT (the callee rang) and the callee too', async () => {
    const alice = await phone('alice');
    const bob = await phone('bob');
    await alice.do('call', { userID: 'bob', type: 2 });
    await bob.next('onInvited');
    await ringOut();
    expect((await alice.next('onCallingTimeout')).payload).toMatchObject({ userIDList: ['bob'] });
    await bob.next('onCallingTimeout');
    expect(await bob.status()).toBe('idle');
    await alice.next('onCallEnd');
    expect(await alice.status()).toBe('idle');
  });

  test('no answer from a user who is not online: NO_RESP', async () => {
    const alice = await phone('alice');
    await alice.do('call', { userID: 'nobody', type: 1 });
    await ringOut();
    expect((await alice.next('onNoResp')).payload).toMatchObject({ userIDList: ['nobody'] });
  });

  test('cancel: the caller hangs up before an answer; the callee hears CALLING_CANCEL', async () => {
    const alice = await phone('alice');
    const bob = await phone('bob');
    await alice.do('call', { userID: 'bob', type: 2 });
    await bob.next('onInvited');
    await alice.do('hangup');
    await bob.next('onCallingCancel');
    expect(await bob.status()).toBe('idle');
    expect(await alice.status()).toBe('idle');
  });
});

describe('sessions', () => {
  test('a second login of the same user kicks the first page out', async () => {
    const first = await phone('bob');
    const second = await phone('bob');
    expect((await first.next('onKickedOut')).payload).toMatchObject({ reason: 'multipleAccount' });
    const alice = await phone('alice');
    await alice.do('call', { userID: 'bob', type: 1 });
    await second.next('onInvited');
    expect((await first.events()).some((e) => e.name === 'onInvited')).toBe(false);
  });

  test('an offline invitee who logs in within the timeout is rung and answers', async () => {
    const alice = await phone('alice');
    await alice.do('call', { userID: 'dave', type: 2 });
    world.server.server.clock.advance(10_000);
    const dave = await phone('dave');
    const invited = await dave.next('onInvited');
    expect(invited.payload).toMatchObject({ sponsor: 'alice' });
    await dave.do('accept');
    await alice.decodes('dave');
    await dave.decodes('alice');
  });

  test('the page has the global TRTCCalling of the script-tag bundle, with Tencent’s event strings', async () => {
    const p = await phone('erin', false);
    expect(
      await p.page.evaluate(() => [
        typeof TRTCCalling,
        TRTCCalling.EVENT.INVITED,
        TRTCCalling.EVENT.CALL_END,
      ]),
    ).toEqual(['function', 'onInvited', 'onCallEnd']);
  });
});

declare const TRTCCalling: { EVENT: Record<string, string> };
