// The browser-test infrastructure itself: Chromium with a fake camera, two pages on the test server, and a
// plain RTCPeerConnection call between them (no SDK) whose video each side decodes, over loopback only.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interfaceNames, launchChromium, openPages } from './support/browser.js';
import { eventually } from './support/eventually.js';
import { type BrowserTestServer, startBrowserTestServer } from './support/server.js';

/** What pages/raw-peer.js puts on the page's window. */
interface RawPeer {
  join(role: 'caller' | 'callee', room: string): Promise<void>;
  call(): Promise<number>;
  framesDecoded(): Promise<number>;
  selectedPair(): Promise<{ local?: string; remote?: string }>;
}

/** Calls `rawPeer[method](...args)` in the page (the function runs there: it can use nothing of this file). */
function peer<M extends keyof RawPeer>(
  page: Page,
  method: M,
  ...args: Parameters<RawPeer[M]>
): Promise<Awaited<ReturnType<RawPeer[M]>>> {
  return page.evaluate(
    ([m, a]) => {
      const p = (globalThis as unknown as { rawPeer: Record<string, (...a: unknown[]) => unknown> }).rawPeer;
      return p[m]!(...a);
    },
    [method, args] as const,
  ) as Promise<Awaited<ReturnType<RawPeer[M]>>>;
}

let beckon: BrowserTestServer;
let browser: Browser;

beforeAll(async () => {
  beckon = await startBrowserTestServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await beckon?.close();
});

describe('browser tests', () => {
  it('run in a network namespace holding only lo', () => {
    expect(interfaceNames()).toEqual(['lo']);
  });

  it('get the test pages from the Beckon server under test', async () => {
    const res = await fetch(beckon.page('raw-peer.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await fetch(beckon.page('../support/server.ts'))).status).toBe(404);
  });

  it('get the SDK bundle that globalSetup built, from the same origin', async () => {
    const res = await fetch(`${beckon.url}/sdk/trtc-calling.js`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('TRTCCalling');
  });

  it('carry a WebRTC video call between two pages, each side decoding the other, on loopback', async () => {
    // One context: the pages signal over a BroadcastChannel, as two tabs of one profile can.
    const [caller, callee] = (await openPages(browser, 2, beckon.page('raw-peer.html'), {
      shared: true,
    })) as [Page, Page];
    await peer(callee, 'join', 'callee', 'loopback');
    await peer(caller, 'join', 'caller', 'loopback');
    const setupMs = await peer(caller, 'call');
    expect(setupMs).toBeGreaterThan(0);

    for (const page of [caller, callee]) {
      const before = await eventually(() => peer(page, 'framesDecoded'), 'a first decoded frame');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // Still decoding a second later (not how fast: under load a page in the background decodes slowly).
      expect(await peer(page, 'framesDecoded')).toBeGreaterThan(before);
      expect(await peer(page, 'selectedPair')).toEqual({
        local: '127.0.0.1',
        remote: '127.0.0.1',
      });
    }
  });
});
