// The phone in Chromium (issue 12 §8): send response → the card painted on an open Service Notifications
// page, beside the floor of a plain page doing the same with no framework (bench/paint-floor.js); and the
// phone's JavaScript, gzipped, beside the budget and a Preact hello world built by the same Vite.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import launch from '../packages/client/test/support/chromium.json' with { type: 'json' };
import { fmt, percentiles, startBeckon } from './lib.js';
import { startPaintFloor } from './paint-floor.js';
import { setUp } from './send.bench.js';

const SAMPLES = Number(process.env.BENCH_PAINT_SAMPLES ?? 200);
const WARM_UP = 20;
const BUDGET_KB = 200;
const root = new URL('..', import.meta.url).pathname;

/**
 * In the page: records when each card (`[data-msgid]`) is painted (the task after the frame that inserted
 * it), then runs `samples` sends one at a time through `send()`, each timed from its response to its card's
 * paint. A card painted before the response came back counts as 0 ms.
 */
function measureInPage([samples, warmUp]) {
  const painted = new Map();
  const waiting = new Map();
  new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes) {
        const cards = node.nodeType === 1 ? [node, ...node.querySelectorAll('[data-msgid]')] : [];
        for (const card of cards) {
          const msgid = card.dataset?.msgid;
          if (!msgid || painted.has(msgid)) continue;
          painted.set(msgid, null);
          requestAnimationFrame(() =>
            setTimeout(() => {
              painted.set(msgid, performance.now());
              waiting.get(msgid)?.();
            }),
          );
        }
      }
  }).observe(document.body, { childList: true, subtree: true });
  const paintOf = (msgid) =>
    painted.get(msgid) ?? new Promise((resolve) => waiting.set(msgid, () => resolve(painted.get(msgid))));
  return (async () => {
    const timings = [];
    for (let i = 0; i < warmUp + samples; i++) {
      const response = await window.benchSend(i);
      const answered = performance.now();
      // The msgid is a 64-bit integer: read it from the text, never through a JS number.
      const msgid = /"msgid":"?(\d+)/.exec(await response.text())?.[1];
      if (!msgid) throw new Error('the send failed');
      const at = await Promise.race([paintOf(msgid), new Promise((r) => setTimeout(() => r(null), 5000))]);
      if (at === null) throw new Error(`card ${msgid} was never painted`);
      if (i >= warmUp) timings.push(Math.max(0, at - answered));
    }
    return timings;
  })();
}

/** The plain page's figure. */
async function floorTimings(browser) {
  const floor = await startPaintFloor();
  const page = await browser.newPage();
  try {
    await page.goto(floor.url);
    await page.evaluate(() => window.ready);
    await page.evaluate(() => {
      window.benchSend = () => fetch('/send', { method: 'POST' });
    });
    return await page.evaluate(measureInPage, [SAMPLES, WARM_UP]);
  } finally {
    await page.close();
    floor.close();
  }
}

/** Signs in through the phone's own form; every JavaScript file the page loads is collected in `scripts`. */
async function openPhone(browser, beckon, user) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const scripts = new Map();
  page.on('response', async (response) => {
    if (response.request().resourceType() === 'script' && response.ok())
      scripts.set(response.url(), await response.body());
  });
  await page.goto(`${beckon.url}/`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  for (const tab of ['Me', 'Home', 'Notifications'])
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: new RegExp(`^${tab}`) })
      .click();
  await page.waitForLoadState('networkidle');
  return { page, context, scripts };
}

/** The phone's figure, and its JavaScript. */
async function phoneTimings(browser) {
  const beckon = await startBeckon();
  try {
    const { users, sendUrl, body } = await setUp(beckon, 1);
    const user = users[0];
    const { page, context, scripts } = await openPhone(browser, beckon, user);
    await page.exposeFunction('benchBody', (i) => body(user.openid, i));
    await page.evaluate((url) => {
      window.benchSend = async (i) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: await window.benchBody(i),
        });
    }, sendUrl);
    const timings = await page.evaluate(measureInPage, [SAMPLES, WARM_UP]);
    await context.close();
    const gzipped = [...scripts.values()].reduce((sum, b) => sum + gzipSync(b).length, 0);
    return { timings, gzipped, files: scripts.size };
  } finally {
    await beckon.stop();
  }
}

/** A Preact hello world built by the web package's Vite, gzipped JavaScript in bytes. */
async function helloWorldBytes() {
  const dir = join(root, '.bench-data', 'hello-preact');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><div id="app"></div><script type="module" src="/src/main.jsx"></script>',
  );
  writeFileSync(
    join(dir, 'src', 'main.jsx'),
    "import { render } from 'preact';\nrender(<h1>Hello</h1>, document.getElementById('app'));\n",
  );
  const { build } = await import('vite');
  const { default: preact } = await import('@preact/preset-vite');
  await build({
    root: dir,
    logLevel: 'silent',
    plugins: [preact()],
    build: { outDir: 'dist', target: 'es2022' },
  });
  const assets = join(dir, 'dist', 'assets');
  const bytes = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f))).length, 0);
  rmSync(dir, { recursive: true, force: true });
  return bytes;
}

export async function phoneBench() {
  if (!existsSync(launch.executablePath)) {
    console.log(`skipped: no ${launch.executablePath} (apt-get install chromium)`);
    return;
  }
  const browser = await chromium.launch({ executablePath: launch.executablePath, args: launch.args });
  try {
    const floor = percentiles(await floorTimings(browser));
    const phone = await phoneTimings(browser);
    const card = percentiles(phone.timings);
    const ms = (n) => fmt(n, 1);
    console.log(
      `floor  plain page, no framework: HTTP response → a WebSocket frame's text painted (${SAMPLES} one at a time): p50 ${ms(floor.p50)} ms, p99 ${ms(floor.p99)} ms`,
    );
    console.log(
      `send response → card painted on an open Service Notifications page (${SAMPLES} sends one at a time): p50 ${ms(card.p50)} ms = ${fmt(card.p50 / Math.max(floor.p50, 0.1), 1)}× floor, p99 ${ms(card.p99)} ms = ${fmt(card.p99 / Math.max(floor.p99, 0.1), 1)}× floor (target p99 ≤ 50 ms)`,
    );
    const hello = await helloWorldBytes();
    const kb = (b) => fmt(b / 1024, 1);
    console.log(
      `the phone's JavaScript, everything it loads through sign-in, Home, Me and Notifications (${phone.files} file${phone.files === 1 ? '' : 's'}), gzipped: ${kb(phone.gzipped)} KB = ${fmt(phone.gzipped / 1024 / BUDGET_KB, 2)} of the ${BUDGET_KB} KB budget = ${fmt(phone.gzipped / hello, 1)}× a Preact hello world built by the same Vite (${kb(hello)} KB)`,
    );
  } finally {
    await browser.close();
  }
}
