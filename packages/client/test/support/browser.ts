import { networkInterfaces } from 'node:os';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import chromiumLaunch from './chromium.json' with { type: 'json' };

/**
 * How the tests (and bench/call-setup.bench.js) launch Chromium: Debian's (`apt-get install chromium`), as
 * Playwright's own downloads cannot be fetched here; fake camera and microphone granted without a prompt;
 * nothing reaching out to Google's services; WebRTC allowed on loopback (it skips 127.0.0.1 candidates
 * otherwise).
 */
export const CHROMIUM = chromiumLaunch.executablePath;
export const CHROMIUM_ARGS = chromiumLaunch.args;

/** The network interfaces this process sees: only `lo` inside `npm run test:browser`'s namespace. */
export const interfaceNames = () => Object.keys(networkInterfaces()).sort();

/**
 * One Chromium per test file (launch in beforeAll, close in afterAll). Refuses to start outside a network
 * namespace holding only `lo` (scripts/in-loopback.sh), so WebRTC media can never leave the machine.
 */
export async function launchChromium(): Promise<Browser> {
  const names = interfaceNames();
  if (names.join() !== 'lo')
    throw new Error(
      `browser tests run in a network namespace holding only lo (npm run test:browser); this one has ${names.join(', ')}`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface OpenPagesOptions {
  /**
   * One browser context for all the pages (they share storage and BroadcastChannels, as tabs of one
   * profile do). By default each page gets its own context: separate users on separate machines.
   */
  shared?: boolean;
}

/**
 * `n` pages at `url`, loaded. Their uncaught errors and console errors are printed with the page's number,
 * so a failing test shows what the page saw.
 */
export async function openPages(
  browser: Browser,
  n: number,
  url: string,
  options: OpenPagesOptions = {},
): Promise<Page[]> {
  const shared = options.shared ? await browser.newContext() : undefined;
  const pages: Page[] = [];
  for (let i = 0; i < n; i++) {
    const context: BrowserContext = shared ?? (await browser.newContext());
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error(`[page ${i}] ${err.stack ?? err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') console.error(`[page ${i}] ${msg.text()}`);
    });
    await page.goto(url);
    pages.push(page);
  }
  return pages;
}
