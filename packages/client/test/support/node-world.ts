import { afterEach, beforeEach } from 'vitest';
import WebSocket from 'ws';
import { issueUserSig } from '../../../server/src/calls/credentials.js';
import { CallingClient } from '../../../server/src/gateway/test-support/calling-client.js';
import { type TestServer, testServer } from '../../../server/src/test-support/harness.js';
import TRTCCalling from '../../src/index.js';
import { eventually } from './eventually.js';

// Node 20 has no WebSocket global; ws speaks the same API (onopen, onmessage, onclose, readyState).
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

export interface SdkEvent {
  event: string;
  payload: Record<string, unknown>;
}

/** A logged-in TRTCCalling and every event it emitted. */
export interface SdkUser {
  sdk: TRTCCalling;
  events: SdkEvent[];
  /** The first `event` emitted, waiting for it. */
  waitFor(event: string, ms?: number): Promise<SdkEvent>;
}

/** The code a promise rejected with (0 when it resolved, -1 for a rejection without one). */
export const codeOf = (p: Promise<unknown>): Promise<number> =>
  p.then(
    () => 0,
    (e: { code?: number }) => e?.code ?? -1,
  );

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What a Node test file of the SDK shares: per test, Beckon in-process (the harness's testServer, resume grace
 * 5 s) listening on 127.0.0.1 with one app; SDKs and raw `/ws` users made through it are logged out or
 * dropped after the test. Call at the top of the file; the fields are set once `beforeEach` ran.
 */
export function nodeWorld() {
  const sdks: TRTCCalling[] = [];
  const clients: CallingClient[] = [];
  const closers: (() => Promise<void>)[] = [];
  const world = {
    beckon: undefined as unknown as TestServer,
    sdkAppId: 0,
    /** The server's URL: `new TRTCCalling({ SDKAppID, server })`. */
    url: '',
    sig: async (userId: string): Promise<string> =>
      (await issueUserSig(world.beckon.ctx, { sdkAppId: world.sdkAppId, userId })).userSig,
    /** A TRTCCalling logged in as `userID` (`via` a server URL, e.g. a proxy's), recording every event. */
    async sdkFor(userID: string, via?: string): Promise<SdkUser> {
      const sdk = new TRTCCalling({ SDKAppID: world.sdkAppId, server: via ?? world.url });
      sdks.push(sdk);
      const events: SdkEvent[] = [];
      for (const event of new Set(Object.values(TRTCCalling.EVENT)))
        sdk.on(event, (payload: Record<string, unknown>) => events.push({ event, payload }));
      await sdk.login({ userID, userSig: await world.sig(userID) });
      const waitFor = (event: string, ms = 3_000) =>
        eventually(() => events.find((e) => e.event === event), `${userID}: ${event}`, ms);
      return { sdk, events, waitFor };
    },
    /** Another user as a raw `/ws` client, terminated after the test. */
    async raw(userId: string): Promise<CallingClient> {
      const c = await CallingClient.online(world.beckon.app, world.sdkAppId, userId, await world.sig(userId));
      clients.push(c);
      return c;
    },
    /** Runs first after the test (a proxy's close), before the SDKs log out. */
    closeAfter(close: () => Promise<void>): void {
      closers.push(close);
    },
  };
  beforeEach(async () => {
    world.beckon = await testServer({ gateway: { resumeGraceMs: 5_000 } });
    world.sdkAppId = (await world.beckon.newApp()).sdkAppId;
    world.url = await world.beckon.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    // Bounded: an SDK whose connection a test froze would wait for its keepalive.
    for (const sdk of sdks.splice(0)) await Promise.race([sdk.logout().catch(() => {}), sleep(500)]);
    for (const c of clients.splice(0)) c.ws.terminate();
    await world.beckon.close();
  });
  return world;
}
