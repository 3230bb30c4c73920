/**
 * Issue 6 §1: after a network drop the SDK reconnects its socket with backoff and resumes the call if the
 * server still holds it; if not, CALL_END. Bob's page reaches the server through a TCP proxy the test cuts;
 * the call's media is peer to peer and does not pass through it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { launchChromium } from './support/browser.js';
import { Phone } from './support/phones.js';
import { type BrowserTestServer, startBrowserTestServer } from './support/server.js';
import { tcpProxy } from './support/tcp-proxy.js';

/** How long the server holds a dropped session for its resume (shortened from 20 s). */
const GRACE_MS = 2_000;

let server: BrowserTestServer;
let browser: Browser;
let proxy: Awaited<ReturnType<typeof tcpProxy>>;
const phones: Phone[] = [];
beforeAll(async () => {
  server = await startBrowserTestServer({ gateway: { resumeGraceMs: GRACE_MS } });
  proxy = await tcpProxy(Number(new URL(server.url).port));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await server?.close();
});
afterEach(async () => {
  for (const p of phones.splice(0)) await p.close();
});

/** Alice (direct) calls bob (through the proxy); bob answers; both decode. */
async function inCall() {
  const alice = await Phone.open(browser, server, 'alice');
  const bob = await Phone.open(browser, server, 'bob', true, proxy.url);
  phones.push(alice, bob);
  await alice.do('call', { userID: 'bob', type: 2 });
  await bob.next('onInvited');
  await bob.do('accept');
  await alice.decodes('bob');
  await bob.decodes('alice');
  return { alice, bob };
}

test('a drop mid-call: the SDK resumes its session, signals flow again, nobody hears the call end', async () => {
  const { alice, bob } = await inCall();
  proxy.cut();
  // Sent while bob is away or back: either way it reaches him (kept for the resume, or live).
  await alice.do('setMicMute', true);
  expect((await bob.next('onUserAudioAvailable')).payload).toEqual({
    userID: 'alice',
    isAudioAvailable: false,
  });
  await alice.do('setMicMute', false);
  expect((await bob.next('onUserAudioAvailable')).payload).toEqual({
    userID: 'alice',
    isAudioAvailable: true,
  });
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
