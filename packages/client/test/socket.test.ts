/**
 * @beckon/client/socket in Node against the real server: requests and results, the end of a session
 * (signed out, refused at the upgrade), giving up, and calling and the inbox sharing one socket.
 */

import { type BeckonSocket, SocketError, type SocketStatus } from '@beckon/client/socket';
import { TRTC_CALLING_ERROR } from '@beckon/protocol';
import { describe, expect, test, vi } from 'vitest';
import { issueUserSig } from '../../server/src/calls/credentials.js';
import { CallingClient } from '../../server/src/gateway/test-support/calling-client.js';
import TRTCCalling from '../src/index.js';
import { eventually } from './support/eventually.js';
import { inboxWorld, msgidsOf } from './support/inbox-world.js';
import { sleep } from './support/node-world.js';

const world = inboxWorld();

/** Every status the socket goes through from now on. */
function statusesOf(socket: BeckonSocket): SocketStatus[] {
  const seen: SocketStatus[] = [];
  socket.onStatus((s) => seen.push(s));
  return seen;
}

const connections = () => world.s.app.gateway.stats().connections;

describe('requests and frames', () => {
  test('a request is answered by its result; a refusal rejects with the server’s code', async () => {
    const alice = await world.person('alice');
    const socket = world.socketOf(alice);
    const early = await socket.request('call.logout', {}).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(SocketError);
    expect(early).toMatchObject({ code: -1, network: true });
    const hello = new Promise((resolve) => socket.on('hello', resolve));
    expect(socket.status).toBe('idle');
    await socket.open();
    expect(socket.status).toBe('open');
    expect(await hello).toEqual({ type: 'hello', userId: alice.userId, unread: 0 });
    // Not logged in to calling: 2024, and the socket stays.
    expect(await socket.request('call.logout', {}).catch((e: SocketError) => e.code)).toBe(
      TRTC_CALLING_ERROR.USER_NOT_LOGGED_IN,
    );
    const { userSig } = await issueUserSig(world.s.ctx, { sdkAppId: world.app.sdkAppId, userId: 'alice' });
    const login = await socket.request('call.login', {
      sdkAppId: world.app.sdkAppId,
      userId: 'alice',
      userSig,
    });
    expect(login).toMatchObject({ resumed: false, ringing: 0 });
    expect(socket.status).toBe('open');
  });

  test('a listener that is removed hears nothing more; one that throws does not stop the others', async () => {
    const alice = await world.person('alice');
    const socket = world.socketOf(alice);
    const a: number[] = [];
    const b: number[] = [];
    const reported = vi.spyOn(console, 'error').mockImplementation(() => {});
    const offA = socket.on('inbox.unread', ({ unread }) => a.push(unread));
    socket.on('inbox.unread', () => {
      throw new Error('a page bug');
    });
    socket.on('inbox.unread', ({ unread }) => b.push(unread));
    await socket.open();
    const [msgid] = await world.send(alice, 2);
    await alice.http.request('POST', `/api/inbox/${msgid}/read`);
    await eventually(() => b.length === 1, 'the count');
    offA();
    await alice.http.request('POST', '/api/inbox/read-all');
    await eventually(() => b.length === 2, 'the second count');
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 0]);
    expect(reported).toHaveBeenCalledTimes(2);
    reported.mockRestore();
  });
});

describe('the end of a session', () => {
  test('signed out: the server closes the socket (4003) and it does not reconnect', async () => {
    const alice = await world.person('alice');
    const socket = world.socketOf(alice);
    await socket.open();
    const seen = statusesOf(socket);
    await alice.http.request('DELETE', '/api/sessions/current');
    await world.s.app.gateway.checkSessions();
    await eventually(() => socket.status === 'closed', 'closed');
    expect(socket.closeReason).toBe('session-over');
    await sleep(1_500); // a reconnect would have come by now
    expect(seen).toEqual(['closed']);
    expect(connections()).toBe(0);
  });

  test('a token the server refuses at the upgrade (HTTP 401): open() rejects, and the socket is over', async () => {
    const socket = world.socketOf({ token: 'no-such-session' });
    const seen = statusesOf(socket);
    const err = await socket.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SocketError);
    expect(err).toMatchObject({ code: 4001 });
    expect(socket.status).toBe('closed');
    expect(socket.closeReason).toBe('session-over');
    expect(seen).toEqual(['connecting', 'closed']);
  });

  test('signed out while the socket was down: the reconnect is refused (401) and it stops there', async () => {
    const alice = await world.person('alice');
    const proxy = await world.proxy();
    const socket = world.socketOf(alice, proxy.url);
    await socket.open();
    const seen = statusesOf(socket);
    proxy.refuse(60_000);
    await alice.http.request('DELETE', '/api/sessions/current');
    proxy.allow();
    await eventually(() => socket.status === 'closed', 'closed', 8_000);
    expect(socket.closeReason).toBe('session-over');
    expect(seen).toEqual(['reconnecting', 'closed']);
    await sleep(1_500);
    expect(connections()).toBe(0);
  }, 15_000);

  test('the server stays out of reach: after its retries the socket gives up (gone)', async () => {
    const alice = await world.person('alice');
    const proxy = await world.proxy();
    const socket = world.socketOf(alice, proxy.url, 2);
    await socket.open();
    const seen = statusesOf(socket);
    proxy.refuse(60_000);
    await eventually(() => socket.status === 'closed', 'gone', 8_000);
    expect(socket.closeReason).toBe('gone');
    expect(seen).toEqual(['reconnecting', 'closed']);
    // It opens again when asked.
    proxy.allow();
    await socket.open();
    expect(socket.status).toBe('open');
  }, 15_000);
});

describe('calling and the inbox on one socket', () => {
  async function setUp() {
    const bob = await world.person('bob');
    const proxy = await world.proxy();
    const socket = world.socketOf(bob, proxy.url);
    await socket.open();
    const inbox = world.inboxOf(bob, socket);
    await inbox.start();
    const sig = async (userId: string) =>
      (await issueUserSig(world.s.ctx, { sdkAppId: world.app.sdkAppId, userId })).userSig;
    const calling = new TRTCCalling({ SDKAppID: world.app.sdkAppId, socket });
    const events: string[] = [];
    for (const event of new Set(Object.values(TRTCCalling.EVENT)))
      calling.on(event, () => events.push(event));
    await calling.login({ userID: 'bob', userSig: await sig('bob') });
    const alice = await CallingClient.online(world.s.app, world.app.sdkAppId, 'alice', await sig('alice'));
    return { bob, proxy, socket, inbox, calling, events, alice, sig };
  }

  test('one connection carries both; after a drop the call session resumes and the inbox fills its gap', async () => {
    const { bob, proxy, socket, inbox, calling, events, alice } = await setUp();
    try {
      expect(world.s.app.gateway.stats()).toMatchObject({ connections: 2, callSessions: 2 });
      const [first] = await world.send(bob, 1);
      await world.until(inbox, (s) => s.cards.length === 1, 'a live card');
      const session = () =>
        (calling as unknown as { signaling: { session: { sessionId: string; resumed: boolean } } }).signaling
          .session;
      const { sessionId } = session();
      proxy.cut();
      // While the socket is down: a card and an invitation.
      const [during] = await world.send(bob, 1);
      await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 1 } });
      await eventually(() => events.includes('onInvited'), 'bob rings', 8_000);
      expect(session()).toMatchObject({ sessionId, resumed: true });
      const state = await world.until(inbox, (s) => s.cards.length === 2, 'the card sent meanwhile', 8_000);
      expect(msgidsOf(state)).toEqual([first, during]);
      expect(state.unread).toBe(2);
      await calling.reject();
      expect(await alice.signal('onReject')).toMatchObject({ userID: 'bob' });
      // Logging out of calling leaves the shared socket (and the inbox) as they were.
      await calling.logout();
      expect(socket.status).toBe('open');
      const [after] = await world.send(bob, 1);
      await world.until(inbox, (s) => s.cards.length === 3, 'a live card after the logout');
      expect(msgidsOf(inbox.state)).toEqual([first, during, after]);
      expect(world.s.app.gateway.stats()).toMatchObject({ connections: 2, callSessions: 1 });
    } finally {
      alice.ws.terminate();
    }
  }, 20_000);

  test('kicked out of calling by a later login: KICKED_OUT once, the socket and the inbox stay', async () => {
    const { bob, proxy, socket, inbox, calling, events, alice, sig } = await setUp();
    const other = await CallingClient.online(world.s.app, world.app.sdkAppId, 'bob', await sig('bob'));
    try {
      await eventually(() => events.includes('onKickedOut'), 'kicked out');
      expect(socket.status).toBe('open');
      expect((calling as unknown as { signaling?: object }).signaling).toBeUndefined();
      // A drop after the kick: the socket comes back for the inbox; calling does not try to resume.
      proxy.cut();
      const [card] = await world.send(bob, 1);
      await world.until(inbox, (s) => s.cards.length === 1, 'the card', 8_000);
      expect(msgidsOf(inbox.state)).toEqual([card]);
      await eventually(() => socket.status === 'open', 'open again');
      expect(events.filter((e) => e === 'onKickedOut')).toHaveLength(1);
      expect(events).not.toContain('onError');
      expect(other.queued()).not.toContain('onKickedOut');
    } finally {
      alice.ws.terminate();
      other.ws.terminate();
    }
  }, 15_000);
});
