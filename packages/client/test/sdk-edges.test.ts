/**
 * Edges of @beckon/client in Node (each found in review; each test failed before its fix): the SDK against
 * the real server, other users as raw `/ws` clients.
 */
import { TRTC_CALLING_ERROR } from '@beckon/protocol';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { issueUserSig } from '../../server/src/calls/credentials.js';
import { CallingClient } from '../../server/src/gateway/test-support/calling-client.js';
import { type TestServer, testServer } from '../../server/src/test-support/harness.js';
import TRTCCalling from '../src/index.js';
import { tcpProxy } from './support/tcp-proxy.js';

// Node 20 has no WebSocket global; ws speaks the same API (onopen, onmessage, onclose, readyState).
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

let s: TestServer;
let sdkAppId: number;
let server: string;
const sdks: TRTCCalling[] = [];
const clients: CallingClient[] = [];
const closers: (() => void)[] = [];
beforeEach(async () => {
  s = await testServer({ gateway: { resumeGraceMs: 5_000 } });
  sdkAppId = ((await s.newApp()) as unknown as { sdkAppId: number }).sdkAppId;
  server = await s.app.listen({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  for (const sdk of sdks.splice(0)) await Promise.race([sdk.logout().catch(() => {}), sleep(500)]);
  for (const c of clients.splice(0)) c.ws.terminate();
  await s.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sig = async (userId: string) => (await issueUserSig(s.ctx, { sdkAppId, userId })).userSig;
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 0,
    (e: { code?: number }) => e?.code ?? -1,
  );

async function sdkFor(userID: string, via = server) {
  const sdk = new TRTCCalling({ SDKAppID: sdkAppId, server: via });
  sdks.push(sdk);
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  for (const event of new Set(Object.values(TRTCCalling.EVENT)))
    sdk.on(event, (payload: Record<string, unknown>) => events.push({ event, payload }));
  await sdk.login({ userID, userSig: await sig(userID) });
  return { sdk, events };
}

async function raw(userId: string): Promise<CallingClient> {
  const c = await CallingClient.online(s.app, sdkAppId, userId, await sig(userId));
  clients.push(c);
  return c;
}

async function until<T>(get: () => T | undefined, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

describe('the mesh limit', () => {
  test('an invitee of a 6-person group call can accept it (it is within MESH_MAX_USERS)', async () => {
    const alice = await raw('alice');
    const { sdk, events } = await sdkFor('bob');
    await alice.request('call.invite', { invite: { userIDList: ['bob', 'u2', 'u3', 'u4', 'u5'], type: 1 } });
    const invited = await until(() => events.find((e) => e.event === 'onInvited'));
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
    const { sdk, events } = await sdkFor('carol');
    await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 1 } });
    const { inviteID, callId } = await bob.signal('onInvited');
    await bob.request('call.accept', { inviteID });
    // Both members add carol.
    await alice.request('call.invite', { invite: { userIDList: ['carol'], type: 1, callId } });
    await bob.request('call.invite', { invite: { userIDList: ['carol'], type: 1, callId } });
    await until(() => events.find((e) => e.event === 'onInvited'));
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
    const { sdk, events } = await sdkFor('carol');
    await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 1 } });
    const { inviteID, callId } = await bob.signal('onInvited');
    await bob.request('call.accept', { inviteID });
    const first = await alice.request('call.invite', { invite: { userIDList: ['carol'], type: 1, callId } });
    await bob.request('call.invite', { invite: { userIDList: ['carol'], type: 1, callId } });
    await until(() => events.find((e) => e.event === 'onInvited'));
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
    const proxy = await tcpProxy(Number(new URL(server).port));
    closers.push(() => void proxy.close());
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
    const proxy = await tcpProxy(Number(new URL(server).port));
    closers.push(proxy.close);
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
    const sdk = new TRTCCalling({ SDKAppID: sdkAppId, server });
    expect(await codeOf(sdk.call({ userID: 'bob', type: 1 }))).toBe(TRTC_CALLING_ERROR.USER_NOT_LOGGED_IN);
  });

  test('bad arguments are refused with a CallingError (a code), as the README says', async () => {
    const { sdk } = await sdkFor('alice');
    const switched = await sdk.switchDevice({ deviceType: 'screen' as 'video', deviceId: 'x' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(switched).toHaveProperty('code');
    let quality: unknown;
    try {
      sdk.setVideoQuality('4k' as '480p');
    } catch (e) {
      quality = e;
    }
    expect(quality === undefined || (quality as { code?: number }).code !== undefined).toBe(true);
  });
});
