import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AppView } from '@beckon/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../../../client/test/support/browser.js';
import { type BrowserTestServer, startBrowserTestServer } from '../../../client/test/support/server.js';
import { ADMIN_TOKEN } from '../../../server/src/test-support/harness.js';
import { type FrontendServer, startFrontendServer } from './frontend.js';

/** The password every test user gets (the harness's signUp uses the same). */
export const PASSWORD = 'correct horse battery';

/** A phone's screen, as the phone is held (WeChat's reference size). */
export const PHONE_VIEWPORT = { width: 390, height: 844 };

const SCREENS = fileURLToPath(new URL('../../../../test-results/screens/', import.meta.url));

/** Beckon in-process on 127.0.0.1, serving the phone (built by the browser run's global setup) at `/`. */
export function startPhoneServer(): Promise<BrowserTestServer> {
  return startBrowserTestServer();
}

/** A phone test file's world: Beckon serving the phone, Chromium. */
export interface PhoneWorld {
  beckon: BrowserTestServer;
  browser: Browser;
}

/**
 * Registers the file's hooks: Beckon serving the phone and Chromium (and with `frontend`, a mini program's
 * front end on an origin of its own) start before its first test and stop after its last. The returned
 * object's fields are set when the first test runs.
 */
export function usePhoneWorld(): PhoneWorld;
export function usePhoneWorld(options: { frontend: true }): PhoneWorld & { frontend: FrontendServer };
export function usePhoneWorld(options: { frontend?: boolean } = {}): PhoneWorld {
  const w = {} as PhoneWorld & { frontend?: FrontendServer };
  beforeAll(async () => {
    w.beckon = await startPhoneServer();
    if (options.frontend) w.frontend = await startFrontendServer();
    w.browser = await launchChromium();
  });
  afterAll(async () => {
    await w.browser?.close();
    await w.frontend?.close();
    await w.beckon?.close();
  });
  return w;
}

/**
 * A fresh browser profile (its own storage: a person's phone) at the phone's `/`. Page errors and console
 * errors are printed, so a failing test shows what the page saw.
 */
export async function openPhone(
  browser: Browser,
  url: string,
  viewport: { width: number; height: number } = PHONE_VIEWPORT,
): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[phone] ${err.stack ?? err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.error(`[phone] ${msg.text()}`);
  });
  await page.goto(url);
  return page;
}

/** Saves what the screen shows as test-results/screens/<name>.png (look at each one). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENS, { recursive: true });
  await page.screenshot({ path: `${SCREENS}${name}.png`, animations: 'disabled' });
}

/** Signs up through the phone's own form, as a person does; ends on Home. */
export async function signUpOnPhone(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Mini Programs' }).waitFor();
}

/** Signs in through the phone's form; ends on Home. */
export async function signInOnPhone(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Mini Programs' }).waitFor();
}

/** An admin API call through the test server, as an operator's `beckon` CLI makes it. */
export function admin(
  world: BrowserTestServer,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: Record<string, unknown>,
): Promise<unknown> {
  return injectAs(world, ADMIN_TOKEN, method, url, payload);
}

/** A tab of the bottom bar: `Home`, `Notifications` (whatever its badge says), `Me`. */
export function tab(page: Page, name: 'Home' | 'Notifications' | 'Me') {
  const bar = page.getByRole('navigation', { name: 'Main' });
  return name === 'Notifications'
    ? bar.getByRole('link', { name: /^Notifications/ })
    : bar.getByRole('link', { name, exact: true });
}

/** Creates an app as the operator does (`POST /admin/apps`); with its secret. */
export async function createApp(
  world: BrowserTestServer,
  app: { name: string; type: 'miniprogram' | 'minigame'; icon?: string; frontend?: string },
): Promise<AppView & { secret: string }> {
  return (await admin(world, 'POST', '/admin/apps', app)) as AppView & { secret: string };
}

/** A client-API call as the signed-in user `token` makes it (setting the scene up, not what is tested). */
export function asUser(
  world: BrowserTestServer,
  token: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: Record<string, unknown>,
): Promise<unknown> {
  return injectAs(world, token, method, url, payload);
}

/** A call through the test server with `authorization: Bearer <token>`: its JSON, or it throws. */
async function injectAs(
  world: BrowserTestServer,
  token: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: Record<string, unknown>,
): Promise<unknown> {
  const res = await world.server.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.body ? res.json() : undefined;
}

/** What a test mini program page (packages/client/test/pages/mini) reported: one entry per wx answer. */
export interface PageResult {
  api: string;
  ok: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: WeChat's result objects, read by the tests
  res: any;
  href: string;
}

/**
 * The answers the test mini programs' pages got, read from the console as they log them: evaluating
 * script in a frame would give it user activation, which the shell's tap rule reads.
 */
export function pageResults(page: Page): PageResult[] {
  const results: PageResult[] = [];
  page.on('console', (message) => {
    const [tag, json] = message.text().split(/ (.*)/s, 2);
    if (tag === 'beckon-test-result' && json) results.push(JSON.parse(json));
  });
  return results;
}

/** A fresh phone signed in as `username`, and the answers its test mini programs' pages get. */
export async function phoneOf(
  w: PhoneWorld,
  username: string,
): Promise<{ page: Page; results: PageResult[] }> {
  const page = await openPhone(w.browser, w.beckon.url);
  const results = pageResults(page);
  await signInOnPhone(page, username);
  return { page, results };
}
