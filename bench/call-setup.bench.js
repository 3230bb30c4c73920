// Call setup in Chromium. The floor: two pages of one Chromium, a plain RTCPeerConnection between them (no
// SDK, signalled over a BroadcastChannel: packages/client/test/pages/raw-peer.js), from starting the offer to
// the caller's first decoded frame of the callee's fake camera (inbound-rtp framesDecoded, polled every
// 10 ms). Media on loopback candidates only; every server here binds 127.0.0.1.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import { chromium } from 'playwright-core';
import launch from '../packages/client/test/support/chromium.json' with { type: 'json' };
import { fmt, percentiles } from './lib.js';

const SAMPLES = 20;
const WARM_UP = 3;
const PAGES = new URL('../packages/client/test/pages/', import.meta.url).pathname;
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'application/javascript; charset=utf-8' };

/** The raw-peer page and its script, from a static server on 127.0.0.1 (a secure context, as loopback is). */
async function servePages() {
  const server = createServer(async (req, res) => {
    const name = new URL(req.url, 'http://x').pathname.slice(1);
    const body = /^[\w-]+\.(html|js)$/.test(name)
      ? await readFile(join(PAGES, name)).catch(() => null)
      : null;
    res.writeHead(body ? 200 : 404, { 'content-type': TYPES[extname(name)] ?? 'text/plain' });
    res.end(body ?? 'not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** With fewer than 100 samples the p99 is the slowest one: printed as such. */
const P99 = SAMPLES < 100 ? 'p99 (the slowest)' : 'p99';

/** `rawPeer[method](...args)` in the page (pages/raw-peer.js). */
const peer = (page, method, ...args) => page.evaluate(([m, a]) => window.rawPeer[m](...a), [method, args]);

/** Offer → the caller's first frame of the callee, WARM_UP + SAMPLES calls one at a time, fresh connections. */
async function rawFloor(browser) {
  const pages = await servePages();
  const context = await browser.newContext();
  try {
    const [caller, callee] = [await context.newPage(), await context.newPage()];
    for (const page of [caller, callee]) await page.goto(`${pages.url}/raw-peer.html`);
    const samples = [];
    for (let i = 0; i < WARM_UP + SAMPLES; i++) {
      await peer(callee, 'join', 'callee', `bench-${i}`);
      await peer(caller, 'join', 'caller', `bench-${i}`);
      const ms = await peer(caller, 'call');
      if (i >= WARM_UP) samples.push(ms);
      for (const page of [caller, callee]) await peer(page, 'hangUp');
    }
    return percentiles(samples);
  } finally {
    await context.close();
    pages.close();
  }
}

/**
 * Prints the raw WebRTC floor, then (once given) the SDK's figure beside it.
 *
 * `sdkCallSetup({ browser, samples, warmUp })` resolves to `samples` timings in ms (after `warmUp` unmeasured
 * calls), each from `call()` to the caller's first decoded remote video frame, with the invitee
 * auto-accepting on INVITED (issue 6 §4: target ≤ 500 ms).
 * It gets the Chromium launched here and starts what it needs itself (startBeckon() of lib.js binds
 * 127.0.0.1; the pages can load its /sdk/trtc-calling.js).
 */
export async function callSetupBench({ sdkCallSetup }) {
  if (!existsSync(launch.executablePath)) {
    console.log(`skipped: no ${launch.executablePath} (apt-get install chromium)`);
    return;
  }
  const browser = await chromium.launch({ executablePath: launch.executablePath, args: launch.args });
  try {
    const raw = await rawFloor(browser);
    const ms = (n) => fmt(n, 1);
    console.log(
      `floor  raw RTCPeerConnection between two pages (fake camera, loopback, ${SAMPLES} calls one at a time), offer → first decoded remote frame: p50 ${ms(raw.p50)} ms, ${P99} ${ms(raw.p99)} ms`,
    );
    const sdk = percentiles(await sdkCallSetup({ browser, samples: SAMPLES, warmUp: WARM_UP }));
    console.log(
      `call() → first decoded remote frame with @beckon/client (auto-accept on INVITED, ${SAMPLES} calls one at a time): p50 ${ms(sdk.p50)} ms = ${fmt(sdk.p50 / raw.p50, 1)}× raw floor, ${P99} ${ms(sdk.p99)} ms = ${fmt(sdk.p99 / raw.p99, 1)}× raw floor`,
    );
  } finally {
    await browser.close();
  }
}
