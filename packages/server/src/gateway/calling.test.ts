import { type AppView, Errors, WS_CLOSE } from '@beckon/protocol';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { turnRestCredential } from '../calls/ice.js';
import { type TestServer, testServer } from '../test-support/harness.js';
import type { GatewayOptions } from './gateway.js';
import { CallingUsers, CallRefused } from './test-support/calling-client.js';
import { connect, type GatewayClient, until } from './test-support/client.js';

let s: TestServer;
let app: AppView & { secret: string; sdkAppId: number };
let users: CallingUsers;
const raw: GatewayClient[] = [];

async function start(gateway: GatewayOptions = {}) {
  s = await testServer({
    gateway: {
      resumeGraceMs: 200,
      iceServers: (u) => [{ urls: 'stun:127.0.0.1:3478', username: u }],
      ...gateway,
    },
  });
  app = (await s.newApp()) as typeof app;
  users = new CallingUsers(s, app.sdkAppId);
  await s.app.listen({ host: '127.0.0.1', port: 0 });
}
beforeEach(() => start());
afterEach(async () => {
  users.terminate();
  for (const c of raw.splice(0)) c.ws.terminate();
  await s.close();
});

const sig = (userId: string, expire?: number) => users.sig(userId, expire);
const online = (userId: string) => users.online(userId);

async function refusedCode(p: Promise<unknown>): Promise<number> {
  const err = await p.then(
    () => new Error('accepted'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CallRefused);
  return (err as CallRefused).code;
}

describe('login over /ws', () => {
  test('a socket without a session token logs in with its userSig and gets ICE servers and a resumeToken', async () => {
    const alice = await online('alice');
    expect(alice.login).toMatchObject({
      resumed: false,
      ringing: 0,
      iceServers: [{ urls: 'stun:127.0.0.1:3478', username: 'alice' }],
    });
    expect(alice.login?.resumeToken).toMatch(/^[\w-]{32}$/);
    expect(s.app.gateway.stats()).toMatchObject({ connections: 1, callSessions: 1 });
  });

  test('with TURN configured, each login gets credentials minted for its user (coturn REST)', async () => {
    await s.close();
    await start({ iceServers: undefined });
    s.ctx.config.ice = {
      servers: [{ urls: 'stun:127.0.0.1:3478' }],
      turn: { urls: ['turn:127.0.0.1:3478'], secret: 'north-pole-secret', ttlSeconds: 600 },
    };
    const alice = await online('alice');
    const expiry = Math.floor(s.clock.now() / 1000) + 600;
    expect(alice.login?.iceServers).toEqual([
      { urls: 'stun:127.0.0.1:3478' },
      {
        urls: ['turn:127.0.0.1:3478'],
        username: `${expiry}:alice`,
        credential: turnRestCredential('north-pole-secret', `${expiry}:alice`),
      },
    ]);
  });

  test('refusals carry the userSig codes, the socket stays open for another try', async () => {
    const c = await users.connect();
    const good = await sig('alice');
    expect(
      await refusedCode(c.request('call.login', { sdkAppId: app.sdkAppId, userId: 'bob', userSig: good })),
    ).toBe(Errors.USERSIG_USER_MISMATCH.code);
    expect(
      await refusedCode(c.request('call.login', { sdkAppId: 1_400_000_001, userId: 'alice', userSig: good })),
    ).toBe(Errors.SDKAPPID_NOT_FOUND.code);
    expect(
      await refusedCode(c.request('call.login', { sdkAppId: app.sdkAppId, userId: 'a b', userSig: good })),
    ).toBe(Errors.INVALID_USER_ID.code);
    expect(
      await refusedCode(
        c.request('call.login', { sdkAppId: app.sdkAppId, userId: 'alice', userSig: 'eJyr' }),
      ),
    ).toBe(Errors.USERSIG_MALFORMED.code);
    s.clock.advance(1000);
    const expired = await sig('alice', 1);
    s.clock.advance(2000);
    expect(
      await refusedCode(
        c.request('call.login', { sdkAppId: app.sdkAppId, userId: 'alice', userSig: expired }),
      ),
    ).toBe(Errors.USERSIG_EXPIRED.code);
    // Field types are checked before anything else: 6017.
    expect(
      await refusedCode(
        c.request('call.login', { sdkAppId: '1' as unknown as number, userId: 'alice', userSig: good }),
      ),
    ).toBe(Errors.SIGNALING_INVALID_PARAMETERS.code);
    await c.request('call.login', { sdkAppId: app.sdkAppId, userId: 'alice', userSig: good });
    expect(
      await refusedCode(c.request('call.login', { sdkAppId: app.sdkAppId, userId: 'alice', userSig: good })),
    ).toBe(Errors.SIGNALING_INVALID_PARAMETERS.code);
  });

  test('commands before login are refused with 2024; logout ends the session, the socket stays', async () => {
    const c = await users.connect();
    expect(await refusedCode(c.request('call.hangup', {}))).toBe(Errors.CALL_NOT_LOGGED_IN.code);
    await c.request('call.login', { sdkAppId: app.sdkAppId, userId: 'alice', userSig: await sig('alice') });
    expect(await c.request('call.logout', {})).toBeNull();
    expect(s.app.gateway.stats().callSessions).toBe(0);
    expect(await refusedCode(c.request('call.accept', { inviteID: 'x' }))).toBe(
      Errors.CALL_NOT_LOGGED_IN.code,
    );
  });

  test('a socket that neither shows a session token nor logs in is closed 4001', async () => {
    await s.close();
    await start({ loginTimeoutMs: 50 });
    const c = await users.connect();
    expect((await c.closed).code).toBe(WS_CLOSE.UNAUTHORIZED);
  });

  test('frames without a known type or an id close the socket (4002); bad fields are answered 6017', async () => {
    for (const bad of [
      { type: 'call.dance', id: 1 },
      { type: 'call.hangup' },
      { type: 'call.hangup', id: {} },
    ]) {
      const c = await connect(s.app, {});
      raw.push(c);
      c.ws.send(JSON.stringify(bad));
      expect(await c.next()).toMatchObject({ type: 'error', code: WS_CLOSE.BAD_FRAME });
      expect((await c.closed).code).toBe(WS_CLOSE.BAD_FRAME);
    }
    const alice = await online('alice');
    for (const fields of [{ inviteID: 7 }, { inviteID: '' }]) {
      expect(await refusedCode(alice.request('call.accept', fields as { inviteID: string }))).toBe(
        Errors.SIGNALING_INVALID_PARAMETERS.code,
      );
    }
    expect(await refusedCode(alice.request('call.media', { callId: 'c' }))).toBe(
      Errors.SIGNALING_INVALID_PARAMETERS.code,
    );
    expect(await refusedCode(alice.request('call.invite', { invite: { userIDList: [], type: 1 } }))).toBe(
      Errors.SIGNALING_INVALID_PARAMETERS.code,
    );
  });
});

describe('sessions and sockets', () => {
  test('a later login kicks the earlier one out: onKickedOut, then the socket closes 4004', async () => {
    const first = await online('alice');
    const second = await online('alice');
    expect(await first.signal('onKickedOut')).toMatchObject({ reason: 'multipleAccount' });
    expect((await first.closed).code).toBe(WS_CLOSE.KICKED);
    expect(second.ws.readyState).toBe(second.ws.OPEN);
    expect(s.app.gateway.stats().callSessions).toBe(1);
  });

  test('a session whose userSig expires is kicked out with userSigExpired', async () => {
    const c = await users.online('alice', 60);
    expect(c.login?.userSigExpiresAt).toBe(Math.floor(s.clock.now() / 1000) * 1000 + 60_000);
    await s.app.gateway.checkSessions();
    expect(c.queued()).toEqual([]);
    s.clock.advance(61_000);
    await s.app.gateway.checkSessions();
    expect(await c.signal('onKickedOut')).toMatchObject({ reason: 'userSigExpired' });
    expect((await c.closed).code).toBe(WS_CLOSE.KICKED);
  });

  test('a dropped socket resumes its session within the grace: the call goes on, missed signals arrive', async () => {
    const alice = await online('alice');
    const bob = await online('bob');
    const receipt = await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 2 } });
    const invited = await bob.signal('onInvited');
    await bob.request('call.accept', { inviteID: invited.inviteID });
    await alice.signal('onUserAccept');
    await alice.signal('onUserEnter');
    const token = bob.login!.resumeToken;
    bob.ws.terminate();
    await until(() => s.app.gateway.stats().connections === 1);
    await alice.request('call.relay', { callId: receipt.callId, toUserID: 'bob', data: { sdp: 'offer' } });
    const { client: again, login } = await users.resume('bob', token);
    expect(login).toMatchObject({ resumed: true, sessionId: bob.login!.sessionId });
    expect(await again.signal('onRelay')).toMatchObject({ userID: 'alice', data: { sdp: 'offer' } });
    await new Promise((r) => setTimeout(r, 300)); // past the grace: nothing ends the resumed session
    expect(alice.queued()).toEqual([]);
    await again.request('call.hangup', {});
    expect(await alice.signal('onCallEnd')).toMatchObject({ userID: 'bob' });
  });

  test('a dropped socket that does not come back within the grace leaves its call', async () => {
    const alice = await online('alice');
    const bob = await online('bob');
    await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 1 } });
    await bob.request('call.accept', { inviteID: (await bob.signal('onInvited')).inviteID });
    const token = bob.login!.resumeToken;
    bob.ws.terminate();
    expect(await alice.signal('onCallEnd', 2000)).toMatchObject({ userID: 'bob' });
    expect(s.app.gateway.stats().callSessions).toBe(1);
    // Too late to resume: a fresh session.
    const { login } = await users.resume('bob', token);
    expect(login.resumed).toBe(false);
  });

  test('a resumeToken is the user’s own: another user cannot take the session', async () => {
    const bob = await online('bob');
    const token = bob.login!.resumeToken;
    bob.ws.terminate();
    await until(() => s.app.gateway.stats().connections === 0);
    const { login } = await users.resume('mallory', token);
    expect(login.resumed).toBe(false);
    expect(login.sessionId).not.toBe(bob.login!.sessionId);
  });
});
