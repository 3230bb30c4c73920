/**
 * Edges of @beckon/client in Chromium (each found in review; each test failed before its fix): methods
 * racing each other, requests made while the socket is down, the mesh limit, devices. Page-side helpers:
 * pages/edges.js.
 */
import { Errors } from '@beckon/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { CallingClient } from '../../server/src/gateway/test-support/calling-client.js';
import { eventually } from './support/eventually.js';
import type { Phone } from './support/phones.js';
import { tcpProxy } from './support/tcp-proxy.js';
import { answered, browserWorld } from './support/world.js';

const world = browserWorld({ gateway: { resumeGraceMs: 15_000 } });
let proxy: Awaited<ReturnType<typeof tcpProxy>>;
const clients: CallingClient[] = [];
beforeAll(async () => {
  proxy = await tcpProxy(Number(new URL(world.server.url).port));
});
afterAll(() => proxy?.close());
afterEach(() => {
  for (const c of clients.splice(0)) c.ws.terminate();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A logged-in page with pages/edges.js loaded; `via` the proxy for one whose network the test cuts. */
async function phone(userID: string, via?: string): Promise<Phone> {
  const p = await world.phone(userID, true, via);
  await p.page.addScriptTag({ url: world.server.page('edges.js') });
  return p;
}

/** Another user as a raw `/ws` client (no media), for calls bigger than the pages worth opening. */
async function raw(userId: string): Promise<CallingClient> {
  const { server, sdkAppId } = world.server;
  const c = await CallingClient.online(server.app, sdkAppId, userId, await world.server.userSig(userId));
  clients.push(c);
  return c;
}

const edges = <T>(p: Phone, fn: string, ...args: unknown[]): Promise<T> =>
  p.page.evaluate(
    ([f, a]) => (window as never as { edges: Record<string, (...x: unknown[]) => unknown> }).edges[f]!(...a),
    [fn, args] as const,
  ) as Promise<T>;

const outcome = (p: Phone, key: string) =>
  eventually(async () => {
    const o = await p.page.evaluate(
      (k) => (window as never as { edges: { outcomes: Record<string, unknown> } }).edges.outcomes[k],
      key,
    );
    return o === 'pending' ? undefined : (o as string | number);
  }, `${p.userID}: outcome of ${key}`);

/** Alice calls bob (bob through `via` if given), bob answers, both decode what there is. */
async function inCall(type: 1 | 2 = 2, via?: string) {
  return answered(await phone('alice'), await phone('bob', via), type);
}

describe('a method while another is in flight', () => {
  test('hangup() right after call(): the callee does not keep ringing, the caller is idle', async () => {
    const alice = await phone('alice');
    const bob = await phone('bob');
    await edges(alice, 'start', 'call', 'call', { userID: 'bob', type: 2 });
    await edges(alice, 'start', 'hangup', 'hangup');
    await outcome(alice, 'call');
    await outcome(alice, 'hangup');
    await sleep(500);
    if (await bob.heard('onInvited')) await bob.next('onCallingCancel', 3_000);
    expect(await alice.status()).toBe('idle');
  });

  test('accept() twice (double tap): bob stays in the call and alice gets his media', async () => {
    const alice = await phone('alice');
    const bob = await phone('bob');
    await alice.do('call', { userID: 'bob', type: 2 });
    await bob.next('onInvited');
    await edges(bob, 'start', 'first', 'accept');
    await edges(bob, 'start', 'second', 'accept');
    // The first tap answers. The second shares its answer while it is in flight, or, once it is done, is
    // told the invitation was processed (8010): which one depends on how fast the first answer came back.
    expect(await outcome(bob, 'first')).toBe('ok');
    expect(['ok', Errors.SIGNALING_INVALID_INVITE_ID.code]).toContain(await outcome(bob, 'second'));
    await alice.next('onUserEnter');
    await sleep(500);
    expect(await bob.status()).toBe('connected');
    await alice.decodes('bob');
  });

  test('hangup() while accept() waits for its result: alice hears the call end', async () => {
    const alice = await phone('alice');
    const bob = await phone('bob');
    await alice.do('call', { userID: 'bob', type: 2 });
    await bob.next('onInvited');
    await edges(bob, 'afterSending', 'call.accept', 'hangup', 'hangup');
    await edges(bob, 'start', 'accept', 'accept');
    await outcome(bob, 'accept');
    await outcome(bob, 'hangup');
    expect(await bob.status()).toBe('idle');
    await alice.next('onCallEnd', 5_000);
  });

  test('the call is cancelled while accept() waits for the camera: no camera or mic is left on', async () => {
    const alice = await phone('alice');
    const bob = await phone('bob');
    await edges(bob, 'slowMedia', 1_500);
    await alice.do('call', { userID: 'bob', type: 2 });
    await bob.next('onInvited');
    await edges(bob, 'start', 'accept', 'accept');
    await alice.do('hangup');
    await bob.next('onCallingCancel');
    await outcome(bob, 'accept');
    expect(await bob.status()).toBe('idle');
    expect(await edges<number>(bob, 'liveTracks')).toBe(0);
  });
});

describe('requests while the socket is down', () => {
  /** Cuts bob's network for `ms` and waits until his SDK has noticed. */
  async function drop(bob: Phone, ms: number) {
    proxy.refuse(ms);
    await eventually(() => edges<boolean>(bob, 'socketDown'), 'bob noticing the drop');
  }

  test('hangup() during a blip: once the session resumes, the call ends for alice; bob’s next call is new', async () => {
    const { alice, bob } = await inCall(2, proxy.url);
    await drop(bob, 1_500);
    await bob.codeOf('hangup');
    expect(await bob.status()).toBe('idle');
    await eventually(() => edges<boolean>(bob, 'resumed'), 'bob resuming', 15_000);
    const ended = await alice.next('onCallEnd', 5_000).then(
      () => true,
      () => false,
    );
    await bob.do('call', { userID: 'carol', type: 1 });
    await sleep(300);
    const aliceHearsOfCarol = (await alice.events()).some(
      (e) =>
        e.name === 'onGroupCallInviteeListUpdate' && (e.payload.userIDList as string[]).includes('carol'),
    );
    expect({ ended, aliceHearsOfCarol }).toEqual({ ended: true, aliceHearsOfCarol: false });
  });

  test('setMicMute during a blip: the peer hears USER_AUDIO_AVAILABLE once the session is back', async () => {
    const { alice, bob } = await inCall(1, proxy.url);
    await drop(bob, 1_500);
    expect(await bob.codeOf('setMicMute', true)).toBe(0);
    await eventually(() => edges<boolean>(bob, 'resumed'), 'bob resuming', 15_000);
    expect((await alice.next('onUserAudioAvailable', 5_000)).payload).toEqual({
      userID: 'bob',
      isAudioAvailable: false,
    });
  });

  test('switchToAudioCall during a blip waits for the resume and then switches both sides', async () => {
    const { alice, bob } = await inCall(2, proxy.url);
    await drop(bob, 1_500);
    // The switch waits for the session to be back, then goes through on both sides.
    expect(await bob.codeOf('switchToAudioCall')).toBe(0);
    expect(await edges<boolean>(bob, 'resumed')).toBe(true);
    expect((await alice.next('onUserVideoAvailable', 5_000)).payload).toEqual({
      userID: 'bob',
      isVideoAvailable: false,
    });
    expect(await bob.codeOf('switchToAudioCall')).toBe(60001);
  });
});

describe('the mesh limit', () => {
  test('groupCall in a call counts the invitees still ringing: a 7th person is refused (94004)', async () => {
    const alice = await phone('alice');
    const u1 = await raw('u1');
    await alice.do('call', { userID: 'u1', type: 1 });
    const { inviteID } = await u1.signal('onInvited');
    await u1.request('call.accept', { inviteID });
    await alice.next('onUserEnter');
    await alice.do('groupCall', { userIDList: ['u2', 'u3', 'u4', 'u5'], type: 1 });
    expect(await alice.codeOf('groupCall', { userIDList: ['u6'], type: 1 })).toBe(94004);
  });
});

describe('devices', () => {
  test('switchDevice(video) while the camera is closed does not turn it back on unannounced', async () => {
    const { alice, bob } = await inCall(2);
    await alice.do('closeCamera');
    await bob.next('onUserVideoAvailable');
    const cameras = (await alice.do('getCameras')) as { deviceId: string }[];
    await alice.do('switchDevice', { deviceType: 'video', deviceId: cameras.at(-1)!.deviceId });
    await sleep(500);
    const frames = await bob.framesOver('alice', 1_000);
    const announced = (await bob.events()).some(
      (e) => e.name === 'onUserVideoAvailable' && e.payload.isVideoAvailable === true,
    );
    expect(frames <= 1 || announced).toBe(true);
  });
});
