import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import type { AppView } from '@beckon/protocol';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { eventually } from '../../../client/test/support/eventually.js';
import { buildServer, operator, ROOT, type Run } from '../../../server/test/support/built-server.js';

/**
 * The first minute as a newcomer meets it: the built `beckon start` on a fresh data dir bound to 127.0.0.1
 * with the demo on (its users, the two sample apps, and examples/shop and examples/game running as its
 * children). Everything a test knows of it comes from the banner, the phone and the CLI.
 */
export interface Demo {
  /** The phone's URL, as the banner prints it (`http://127.0.0.1:<port>/`). */
  url: string;
  /** The banner's sign-ins: username → password. */
  passwords: Record<string, string>;
  /** Where each sample runs, by the app's name in the banner (`Demo Shop` → `http://127.0.0.1:…/`). */
  samples: Record<string, string>;
  /** `beckon ...args` against the running server, as an operator types it on the same data dir. */
  beckon(...args: string[]): Promise<Run>;
  /** The app's appid, from `beckon app list --json`. */
  appid(name: string): Promise<string>;
  /** What the server and its samples printed so far. */
  output(): string;
  /** SIGTERM (the samples end with it) and the data dir removed. */
  stop(): Promise<void>;
}

/** The banner's `  <label>   <text>` row, once the banner is out. */
function bannerRow(output: string, label: string): string {
  const row = output.split('\n').find((line) => line.startsWith(`  ${label} `));
  if (!row) throw new Error(`the banner has no "${label}" row:\n${output}`);
  return row.slice(label.length + 2).trim();
}

/**
 * Builds the server and the SDK the shop runs on (incremental: fast when built), then starts the demo.
 * `env` goes to the server and, as the demo passes it on, to the samples (SHIP_AFTER_MS…).
 */
export async function startDemo(env: Record<string, string>): Promise<Demo> {
  await buildServer();
  await promisify(execFile)('npx', ['tsc', '-b', 'packages/sdk'], { cwd: ROOT });
  // operator() turns the demo off unless asked: undefined removes BECKON_DEMO, as a newcomer has none.
  const op = operator('beckon-demo-browser-', { BECKON_DEMO: undefined, ...env });
  const server = await op.startServer();
  const stop = async () => {
    if (server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    rmSync(op.dataDir, { recursive: true, force: true });
  };
  try {
    await eventually(() => server.output().includes('  apps and templates '), 'the banner', 30_000);
    const output = server.output();
    const url = /Beckon is running at (http:\/\/\S+\/)\n/.exec(output)?.[1];
    const phone = bannerRow(output, 'the phone (web app)');
    if (!url || !phone.startsWith(`${url} `)) throw new Error(`the banner names no phone:\n${output}`);
    // `alice / alice-demo, bob / bob-demo  (friends)`
    const passwords = Object.fromEntries(
      [...bannerRow(output, 'sign in as').matchAll(/(\w+) \/ ([^\s,]+)/g)].map((m) => [m[1]!, m[2]!]),
    );
    const samples: Record<string, string> = {};
    for (const name of ['Demo Shop', 'Star Hopper']) {
      const at = /^(http:\/\/\S+\/) /.exec(bannerRow(output, name))?.[1];
      if (!at) throw new Error(`the banner says ${name} does not run:\n${output}`);
      samples[name] = at;
    }
    const appid = async (name: string) => {
      const run = await op.beckon('app', 'list', '--json');
      if (run.code !== 0) throw new Error(`beckon app list: ${run.stderr}`);
      const parsed = JSON.parse(run.stdout) as AppView[] | { apps: AppView[] };
      const apps = Array.isArray(parsed) ? parsed : parsed.apps;
      const app = apps.find((a) => a.name === name);
      if (!app) throw new Error(`beckon app list has no ${name}: ${run.stdout}`);
      return app.appid;
    };
    return { url, passwords, samples, beckon: op.beckon, appid, output: server.output, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Signs in with the banner's password through the phone's form; ends on Home. */
export async function signInAs(page: Page, demo: Demo, username: string): Promise<void> {
  const password = demo.passwords[username];
  if (!password) throw new Error(`the banner gives no password for ${username}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Mini Programs' }).waitFor();
}

/** Home → the app's row → the runner, its name in the nav bar. */
export async function openFromHome(page: Page, name: string): Promise<void> {
  await page
    .getByRole('list', { name: 'Mini programs and mini games' })
    .getByRole('button', { name })
    .click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

/** The page of the app in front as a person sees it: the one frame of the runner on screen. */
const shownFrame = (page: Page) => page.locator('.runner-host iframe').filter({ visible: true });

/** The app's page on screen, to find and tap things in (Playwright's locators never script the page). */
export function appPage(page: Page): FrameLocator {
  return shownFrame(page).contentFrame();
}

/** The frame on screen, for its address. */
export async function appFrame(page: Page): Promise<Frame> {
  const frame = await (await shownFrame(page).elementHandle())?.contentFrame();
  if (!frame) throw new Error('no frame of an app on screen');
  return frame;
}

/** The phone's dialog of that name, e.g. `Demo Shop Would like to send you these messages`. */
export const dialog = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name });

/** Whether the frames of the app in front are out of reach (inert) while the phone asks. */
export const appInert = (page: Page) =>
  page
    .locator('.runner-host [data-beckon-app]')
    .filter({ visible: true })
    .evaluate((el) => (el as HTMLElement).inert);

/**
 * In the shop: the item's row (`Wireless earbuds, ¥199.00`) on its home page, then its order page. Ends
 * with the Order button on screen.
 */
export async function pickItem(page: Page, item: string): Promise<void> {
  await appPage(page).getByRole('button', { name: item }).click();
  await appPage(page)
    .getByRole('button', { name: /^Order/ })
    .waitFor();
}

/** After a tap on Order: the order the shop placed (its id), once the page says so. */
export async function placedOrder(page: Page): Promise<string> {
  const notice = appPage(page).getByText(/^Order \S+ is placed\./);
  await notice.waitFor({ timeout: 15_000 });
  const id = /^Order (\S+) is placed/.exec((await notice.textContent()) ?? '')?.[1];
  if (!id) throw new Error('no order id on the page');
  return id;
}

/** The thread's cards with this title (`订单发货提醒`), oldest first. */
export const cardsTitled = (page: Page, title: string) =>
  page.getByRole('article').filter({ has: page.getByRole('heading', { name: title, exact: true }) });

/** A card's rows as `label: value`. */
export const rowsOf = (card: ReturnType<Page['locator']>) =>
  card
    .locator('.card-row')
    .evaluateAll((rows) =>
      rows.map((r) => `${r.querySelector('dt')?.textContent}: ${r.querySelector('dd')?.textContent}`),
    );
