/**
 * Issue 6 §1: after a network drop the SDK reconnects its socket with backoff and resumes the call if the
 * server still holds it; if not, CALL_END. Bob's page reaches the server through a TCP proxy the test cuts;
 * the call's media is peer to peer and does not pass through it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { tcpProxy } from './support/tcp-proxy.js';
import { browserWorld } from './support/world.js';

/** How long the server holds a dropped session for its resume (shortened from 20 s). */
const GRACE_MS = 2_000;

const world = browserWorld({ gateway: { resumeGraceMs: GRACE_MS } });
let proxy: Awaited<ReturnType<typeof tcpProxy>>;
beforeAll(async () => {
  proxy = await tcpProxy(Number(new URL(world.server.url).port));
});
afterAll(() => proxy?.close());
/** Alice (direct) calls bob (through the proxy); bob answers; both decode. */
const inCall = () => world.inCall(2, proxy.url);

test('a drop mid-call: the SDK resumes its session, signals flow again, nobody hears the call end', async () => {
  const { alice, bob } = await inCall();
  proxy.cut();
  // Sent while bob is away or back: either way it reaches him (kept for the resume, or live).
  await alice.do('setMicMute', true);
  await bob.hearsMic('alice', true);
  await alice.do('setMicMute', false);
  await bob.hearsMic('alice', false);
  await new Promise((r) => setTimeout(r, GRACE_MS + 500)); // past the grace: the resumed session stands
  expect(await bob.status()).toBe('connected');
  await bob.decodes('alice');
  for (const p of [alice, bob]) {
    const names = (await p.events()).map((e) => e.name);
    expect(names).not.toContain('onCallEnd');
    expect(names).not.toContain('onUserLeave');
  }
  // Bob's commands go through the new socket: his hangup ends the call for alice.
  await bob.do('hangup');
  expect((await alice.next('onCallEnd')).payload).toMatchObject({ userID: 'bob' });
});

test('a drop longer than the server holds the session: the call ends on both sides (CALL_END)', async () => {
  const { alice, bob } = await inCall();
  proxy.refuse(GRACE_MS + 1_500);
  // The server hangs bob up when the grace runs out; alice hears it.
  await alice.next('onCallEnd', GRACE_MS + 5_000);
  // Bob's SDK gets back in, finds the session gone (resumed: false) and ends the call itself.
  expect((await bob.next('onCallEnd', 15_000)).payload).toMatchObject({ userID: 'bob', callEnd: 0 });
  expect(await bob.status()).toBe('idle');
  // Logged in again all the same: a new call reaches him.
  await alice.do('call', { userID: 'bob', type: 1 });
  await bob.next('onInvited');
});
