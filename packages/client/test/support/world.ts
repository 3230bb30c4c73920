import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { GatewayOptions } from '../../../server/src/gateway/gateway.js';
import { launchChromium } from './browser.js';
import { Phone } from './phones.js';
import { type BrowserTestServer, startBrowserTestServer } from './server.js';

/**
 * What a browser test file shares: one test server and one Chromium for the file, and the phones each test
 * opens (closed after it). Call at the top of the file; the fields are set once `beforeAll` ran.
 */
export function browserWorld(options: { gateway?: GatewayOptions } = {}) {
  const phones: Phone[] = [];
  const world = {
    server: undefined as unknown as BrowserTestServer,
    browser: undefined as unknown as Browser,
    /** A page for `userID` (logged in unless told; `via` a server URL, e.g. a proxy's), closed after the test. */
    async phone(userID: string, login = true, via?: string, on?: Browser): Promise<Phone> {
      const p = await Phone.open(on ?? world.browser, world.server, userID, login, via);
      phones.push(p);
      return p;
    },
    /** Alice calls bob (video unless told; bob through `bobVia`), bob answers, both decode what there is. */
    async inCall(type: 1 | 2 = 2, bobVia?: string) {
      return answered(await world.phone('alice'), await world.phone('bob', true, bobVia), type);
    },
  };
  beforeAll(async () => {
    world.server = await startBrowserTestServer(options);
    world.browser = await launchChromium();
  });
  afterAll(async () => {
    await world.browser?.close();
    await world.server?.close();
  });
  afterEach(async () => {
    for (const p of phones.splice(0)) await p.close();
  });
  return world;
}

/**
 * `alice` calls `bob`, who answers; each hears what the other sends from the start (USER_VIDEO_AVAILABLE
 * and USER_AUDIO_AVAILABLE, as TRTC's publish) and, in a video call, decodes it.
 */
export async function answered(alice: Phone, bob: Phone, type: 1 | 2 = 2) {
  await alice.do('call', { userID: bob.userID, type });
  await bob.next('onInvited');
  await bob.do('accept');
  await alice.next('onUserEnter');
  await bob.next('onUserEnter');
  for (const [me, other] of [
    [alice, bob.userID],
    [bob, alice.userID],
  ] as const) {
    const video = await me.next('onUserVideoAvailable');
    const audio = await me.next('onUserAudioAvailable');
    if (video.payload.userID !== other || video.payload.isVideoAvailable !== (type === 2))
      throw new Error(`${me.userID}: unexpected ${JSON.stringify(video.payload)}`);
    if (audio.payload.userID !== other || audio.payload.isAudioAvailable !== true)
      throw new Error(`${me.userID}: unexpected ${JSON.stringify(audio.payload)}`);
    if (type === 2) await me.decodes(other);
  }
  return { alice, bob };
}
