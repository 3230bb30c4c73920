import { SESSION_TTL_SECONDS, type ServerFrame, WS_CLOSE } from '@beckon/protocol';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { addTemplate, type SignedInUser, signUp } from '../consent/test-support/shell.js';
import { deliverCard, MSGID_BASE } from '../messages/test-support/inbox.js';
import { type TestServer, testServer } from '../test-support/harness.js';
import { pushToUser } from './push.js';
import { connect, type GatewayClient, Refused, until, wsBase } from './test-support/client.js';

let s: TestServer;
let alice: SignedInUser;
let bob: SignedInUser;
const open: GatewayClient[] = [];
beforeEach(async () => {
  s = await testServer();
  alice = await signUp(s, 'alice');
  bob = await signUp(s, 'bob');
  await s.app.listen({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  for (const c of open.splice(0)) c.ws.terminate();
  await s.close();
});

/** Opens a socket and takes its hello. */
async function online(user: SignedInUser, via: 'header' | 'query' = 'header') {
  const client = await connect(s.app, { token: user.token, via });
  open.push(client);
  const hello = await client.next();
  return { client, hello };
}

/** A second session of the same user (another tab or device). */
async function signInAgain(user: string): Promise<SignedInUser> {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/sessions',
    payload: { username: user, password: 'correct horse battery' },
  });
  const body = res.json() as { token: string; user: { id: string } };
  return { token: body.token, userId: body.user.id };
}

async function refusal(auth: Parameters<typeof connect>[1]): Promise<Refused> {
  const err = await connect(s.app, auth).then(
    (c) => {
      open.push(c);
      throw new Error('the upgrade was accepted');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Refused);
  return err as Refused;
}

const card = (n: number): ServerFrame => ({
  type: 'inbox.card',
  card: {
    kind: 'template',
    msgid: (MSGID_BASE + BigInt(n)).toString(),
    appid: 'wx0123456789abcdef',
    appName: 'Test',
    templateId: 't',
    title: 'Order shipped',
    rows: [{ label: 'Order', value: `#${n}` }],
    page: null,
    lang: 'zh_CN',
    miniprogramState: 'formal',
    createdAt: new Date(0).toISOString(),
    read: false,
  },
});

describe('upgrade', () => {
  test('an unknown token or an expired one: HTTP 401 92004, no socket', async () => {
    for (const auth of [{ token: 'not-a-session' }, { token: 'not-a-session', via: 'query' as const }]) {
      const refused = await refusal(auth);
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body)).toMatchObject({ errcode: 92004 });
    }
    s.clock.advance(SESSION_TTL_SECONDS * 1000);
    expect((await refusal({ token: alice.token })).status).toBe(401);
    expect((await refusal({ token: bob.token, via: 'query' })).status).toBe(401);
    expect(s.app.gateway.stats()).toEqual({ users: 0, connections: 0, callSessions: 0 });
  });

  test('another path is 404; a plain HTTP request to /ws is not a WebSocket', async () => {
    expect((await refusal({ token: alice.token, path: '/wss' })).status).toBe(404);
    expect((await refusal({ token: alice.token, path: '/api/inbox' })).status).toBe(404);
    const res = await s.app.inject({ method: 'GET', url: '/ws' });
    expect(res.statusCode).toBe(404);
  });

  test('hello carries the user and the unread count; the token may come in the query', async () => {
    const app = await s.newApp();
    const tmpl = await addTemplate(s, app, 1101);
    for (const n of [1n, 2n]) {
      await deliverCard(s, { app, userId: alice.userId, templateId: tmpl, msgid: MSGID_BASE + n });
    }
    expect((await online(alice)).hello).toEqual({ type: 'hello', userId: alice.userId, unread: 2 });
    expect((await online(alice, 'query')).hello).toEqual({ type: 'hello', userId: alice.userId, unread: 2 });
    expect((await online(bob, 'query')).hello).toEqual({ type: 'hello', userId: bob.userId, unread: 0 });
  });
});

describe('frames', () => {
  test('ping → pong', async () => {
    const { client } = await online(alice);
    client.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await client.next()).toEqual({ type: 'pong' });
    client.ws.send(JSON.stringify({ type: 'ping', extra: 1 }));
    expect(await client.next()).toEqual({ type: 'pong' });
  });

  test.each([
    ['not JSON', 'hello?', 'frame is not JSON'],
    ['an unknown type', JSON.stringify({ type: 'inbox.card' }), 'unknown frame type: inbox.card'],
    ['no type', JSON.stringify({ id: 1 }), 'unknown frame type: undefined'],
    ['an array', JSON.stringify([1, 2]), 'frame is not a JSON object'],
    ['JSON null', 'null', 'frame is not a JSON object'],
    ['binary', Buffer.from('{"type":"ping"}'), 'frames are JSON text, not binary'],
  ])('%s → an error frame, then close 4002', async (_what, data, message) => {
    const { client } = await online(alice);
    client.ws.send(data);
    expect(await client.next()).toEqual({ type: 'error', code: WS_CLOSE.BAD_FRAME, message });
    expect(await client.closed).toEqual({ code: WS_CLOSE.BAD_FRAME, reason: 'bad frame' });
  });

  test('a frame above 64 KiB closes the socket (1009)', async () => {
    const { client } = await online(alice);
    client.ws.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(64 * 1024) }));
    expect((await client.closed).code).toBe(1009);
  });
});

describe('push', () => {
  test('a frame for a user reaches each of their sockets and no one else’s', async () => {
    const tab1 = (await online(alice)).client;
    const tab2 = (await online(await signInAgain('alice'))).client;
    const bobs = (await online(bob)).client;
    expect(s.app.gateway.stats()).toEqual({ users: 2, connections: 3, callSessions: 0 });

    await pushToUser(s.ctx, alice.userId, card(1));
    await pushToUser(s.ctx, bob.userId, { type: 'inbox.unread', unread: 9 });
    expect(await tab1.next()).toEqual(card(1));
    expect(await tab2.next()).toEqual(card(1));
    // Bob's next frame is his own: Alice's card never reached him.
    expect(await bobs.next()).toEqual({ type: 'inbox.unread', unread: 9 });

    tab1.ws.close();
    await tab1.closed;
    await until(() => s.app.gateway.stats().connections === 2);
    await pushToUser(s.ctx, alice.userId, card(2));
    expect(await tab2.next()).toEqual(card(2));

    // The user's last socket takes the user's Bus subscription with it.
    tab2.ws.close();
    await until(() => s.app.gateway.stats().users === 1);
    expect(s.app.gateway.stats()).toEqual({ users: 1, connections: 1, callSessions: 0 });
    expect(bobs.pending()).toEqual([]);
  });

  test('app.close() closes every open socket with 1001 and refuses new ones', async () => {
    const a = (await online(alice)).client;
    const b = (await online(bob)).client;
    const base = wsBase(s.app);
    await s.app.close();
    expect((await a.closed).code).toBe(1001);
    expect((await b.closed).code).toBe(1001);
    expect(s.app.gateway.stats()).toEqual({ users: 0, connections: 0, callSessions: 0 });
    const late = new WebSocket(`${base}/ws`, { headers: { authorization: `Bearer ${alice.token}` } });
    const opened = new Promise((resolve, reject) => late.once('open', resolve).once('error', reject));
    await expect(opened).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('session and heartbeat', () => {
  test('an expired session is closed with 4003 at the next check; a live one stays', async () => {
    const a = (await online(alice)).client;
    s.clock.advance(SESSION_TTL_SECONDS * 1000 - 60_000);
    const fresh = await signInAgain('bob');
    const b = (await online(fresh)).client;
    s.clock.advance(60_000);
    await s.app.gateway.checkSessions();
    expect(await a.closed).toEqual({ code: WS_CLOSE.SIGNED_OUT, reason: 'signed out' });
    b.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await b.next()).toEqual({ type: 'pong' });
  });

  test('signing out closes that session’s socket (4003), not the user’s other sessions', async () => {
    const second = await signInAgain('alice');
    const a1 = (await online(alice)).client;
    const a2 = (await online(second)).client;
    const out = await s.app.inject({
      method: 'DELETE',
      url: '/api/sessions/current',
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(out.statusCode).toBe(204);
    await s.app.gateway.checkSessions();
    expect((await a1.closed).code).toBe(WS_CLOSE.SIGNED_OUT);
    await pushToUser(s.ctx, alice.userId, card(3));
    expect(await a2.next()).toEqual(card(3));
  });

  test('a socket that does not answer a ping is dropped at the next heartbeat; one that does stays', async () => {
    const silent = await connect(s.app, { token: alice.token }, { autoPong: false });
    open.push(silent);
    const answering = (await online(bob)).client;
    let pinged = 0;
    silent.ws.on('ping', () => pinged++);
    let answered = 0;
    answering.ws.on('ping', () => answered++);

    s.app.gateway.heartbeat();
    await until(() => pinged === 1 && answered === 1);
    // Give Bob's automatic pong the time to arrive.
    answering.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await answering.next()).toEqual({ type: 'pong' });
    s.app.gateway.heartbeat();
    expect((await silent.closed).code).toBe(1006);
    await until(() => answered === 2);
    expect(s.app.gateway.stats()).toEqual({ users: 1, connections: 1, callSessions: 0 });
  });
});
