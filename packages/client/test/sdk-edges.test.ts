/**
 * Edges of @beckon/client in Node (each found in review; each test failed before its fix): the SDK against
 * the real server, other users as raw `/ws` clients.
 */
import { Errors, TRTC_CALLING_ERROR } from '@beckon/protocol';
import { describe, expect, test } from 'vitest';
import TRTCCalling, { CallingError } from '../src/index.js';
import { codeOf, nodeWorld, sleep } from './support/node-world.js';
import { tcpProxy } from './support/tcp-proxy.js';

const world = nodeWorld();
const { sdkFor, raw } = world;

describe('the mesh limit', () => {
  test('an invitee of a 6-person group call can accept it (it is within MESH_MAX_USERS)', async () => {
    const alice = await raw('alice');
    const { sdk, waitFor } = await sdkFor('bob');
    await alice.request('call.invite', { invite: { userIDList: ['bob', 'u2', 'u3', 'u4', 'u5'], type: 1 } });
    const invited = await waitFor('onInvited');
    expect((invited.payload.userIDList as string[]).length).toBe(5);
    // In Node the accept goes as far as the media (60006: no WebRTC); 94004 means it was refused as too big.
    expect(await codeOf(sdk.accept())).toBe(TRTC_CALLING_ERROR.NOT_SUPPORT);
  });
});

describe('two invitations into the same call', () => {
  test('reject() while rung twice for one call: every inviter hears REJECT and the user is free', async () => {
    const alice = await raw('alice');
    const bob = await raw('bob');
    const dave = await raw('dave');
    const { sdk, waitFor } = await sdkFor('carol');
    await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 1 } });
    const { inviteID, callId } = await bob.signal('onInvited');
    await bob.request('call.accept', { inviteID });
    // Both members add carol.
    await alice.request('call.invite', { invite: { userIDList: ['carol'], type: 1, callId } });
    await bob.request('call.invite', { invite: { userIDList: ['carol'], type: 1, callId } });
    await waitFor('onInvited');
    await sleep(200);
    await sdk.reject();
    expect(await alice.signal('onReject')).toMatchObject({ userID: 'carol' });
    expect.soft(await bob.signal('onReject', 1500).catch(() => 'none')).toMatchObject({ userID: 'carol' });
    // Carol is idle on her page: a new call must ring her, not come back busy.
    expect(sdk.getCallStatus()).toBe('idle');
    const receipt = await dave.request('call.invite', { invite: { userIDList: ['carol'], type: 1 } });
    expect(receipt.invitees).toEqual([{ userID: 'carol', state: 'pending' }]);
  });

  test('the invitation carol sees is cancelled while another into the same call still rings: she still rings', async () => {
    const alice = await raw('alice');
    const bob = await raw('bob');
    const { sdk, events, waitFor } = await sdkFor('carol');
    await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 1 } });
    const { inviteID, callId } = await bob.signal('onInvited');
    await bob.request('call.accept', { inviteID });
    const first = await alice.request('call.invite', { invite: { userIDList: ['carol'], type: 1, callId } });
    await bob.request('call.invite', { invite: { userIDList: ['carol'], type: 1, callId } });
    await waitFor('onInvited');
    await alice.request('call.cancel', { inviteID: first.inviteID });
    await sleep(200);
    // Bob's invitation still rings: no CALLING_CANCEL, the page stays ringing, and one reject answers it.
    expect(events.map((e) => e.event)).not.toContain('onCallingCancel');
    expect(sdk.getCallStatus()).toBe('calling');
    await sdk.reject();
    expect(await bob.signal('onReject')).toMatchObject({ userID: 'carol' });
  });
});

describe('reconnecting after being replaced', () => {
  test('a page kicked while its socket was down does not kick the newer login when it reconnects', async () => {
    const proxy = await tcpProxy(Number(new URL(world.url).port));
    world.closeAfter(proxy.close);
    const old = await sdkFor('bob', proxy.url);
    proxy.refuse(1_000);
    const newer = await sdkFor('bob');
    await sleep(4_000); // the old page's reconnects (0.5 s, 1 s, 2 s…) get through meanwhile
    expect(newer.events.map((e) => e.event)).not.toContain('onKickedOut');
    expect(old.events.map((e) => e.event)).toContain('onKickedOut');
  }, 15_000);
});

describe('a connection that dies silently', () => {
  test('a request on a connection that stopped carrying anything settles (keepalive / timeout)', async () => {
    const proxy = await tcpProxy(Number(new URL(world.url).port));
    world.closeAfter(proxy.close);
    const { sdk } = await sdkFor('bob', proxy.url);
    proxy.freeze();
    const outcome = await Promise.race([
      sdk.logout().then(
        () => 'settled',
        () => 'settled',
      ),
      sleep(30_000).then(() => 'hung'),
    ]);
    expect(outcome).toBe('settled');
  }, 40_000);
});

describe('errors of public methods', () => {
  test('call() before login rejects with 2024 without touching media', async () => {
    const sdk = new TRTCCalling({ SDKAppID: world.sdkAppId, server: world.url });
    expect(await codeOf(sdk.call({ userID: 'bob', type: 1 }))).toBe(TRTC_CALLING_ERROR.USER_NOT_LOGGED_IN);
  });

  test('bad arguments are refused with a CallingError 6017, as the README says', async () => {
    const { sdk } = await sdkFor('alice');
    const switched = await sdk.switchDevice({ deviceType: 'screen' as 'video', deviceId: 'x' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(switched).toBeInstanceOf(CallingError);
    expect(switched).toHaveProperty('code', Errors.SIGNALING_INVALID_PARAMETERS.code);
    let quality: unknown;
    try {
      sdk.setVideoQuality('4k' as '480p');
    } catch (e) {
      quality = e;
    }
    expect(quality).toBeInstanceOf(CallingError);
    expect(quality).toHaveProperty('code', Errors.SIGNALING_INVALID_PARAMETERS.code);
  });
});
