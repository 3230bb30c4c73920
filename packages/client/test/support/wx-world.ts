import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AppListing, AppType } from '@beckon/protocol';
import type { Browser, Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createApp, setPages, updateApp } from '../../../server/src/apps/service.js';
import { type SignedInUser, signUp } from '../../../server/src/test-support/harness.js';
import type { Shell, ShellState } from '../../src/shell/index.js';
import type { Wx } from '../../src/wx/index.js';
import { launchChromium, openPages } from './browser.js';
import { eventually } from './eventually.js';
import { type MiniServer, startMiniServer } from './mini-server.js';
import { type BrowserTestServer, startBrowserTestServer } from './server.js';

/** Screenshots of the screens the browser tests check (git-ignored). */
export const SCREENS = fileURLToPath(new URL('../../../../test-results/screens/', import.meta.url));

/** What a file of wx bridge tests shares: Beckon, two other origins for front ends, one Chromium. */
export interface WxWorld {
  beckon: BrowserTestServer;
  /** The test apps' front ends: one more origin (port) of it for each app (`newApp`). */
  mini: MiniServer;
  /** Another origin, registered by no app. */
  stranger: MiniServer;
  browser: Browser;
  /** Whoever reads the app listings the phone would (`GET /api/apps/:appid`). */
  lister: SignedInUser;
}

export function useWxWorld(): WxWorld {
  const w = {} as WxWorld;
  beforeAll(async () => {
    await mkdir(SCREENS, { recursive: true });
    w.beckon = await startBrowserTestServer();
    w.mini = await startMiniServer(w.beckon.url);
    w.stranger = await startMiniServer(w.beckon.url);
    w.browser = await launchChromium();
    w.lister = await newUser(w, 'lister');
  });
  afterAll(async () => {
    await w.browser?.close();
    await w.stranger?.close();
    await w.mini?.close();
    await w.beckon?.close();
  });
  return w;
}

export interface MiniApp {
  appid: string;
  secret: string;
  listing: AppListing;
}

export type TestUser = SignedInUser & { username: string };

let users = 0;
/** A new platform user, signed up and in through the client API. */
export async function newUser(w: WxWorld, name = 'user'): Promise<TestUser> {
  const username = `${name}${++users}`;
  return { ...(await signUp(w.beckon.server, username)), username };
}

/**
 * A new app whose front end (registered through the app service, as `beckon app frontend` does) is on an
 * origin of its own (`origin`, or one more port of the `mini` test server: no two apps share an origin):
 * `/mini/<appid>/` for a mini program (its declared `pages` there), `/game/<appid>/` for a mini game; each
 * app's own path tells its pages' results apart. `auto`: a call its pages make as soon as they load (in the
 * path: a front end has no query). The listing is the phone's, from `GET /api/apps/:appid`.
 */
export async function newApp(
  w: WxWorld,
  options: { name?: string; type?: AppType; pages?: string[]; origin?: string; auto?: Step } = {},
): Promise<MiniApp> {
  const { type = 'miniprogram', pages = [], auto } = options;
  const origin = options.origin ?? (await w.mini.newOrigin());
  const name = options.name ?? (type === 'minigame' ? 'Tap Tap Game' : 'Tiny Shop');
  const { ctx } = w.beckon.server;
  const { appid, secret } = await createApp(ctx, { name, type });
  if (pages.length > 0) await setPages(ctx, appid, pages);
  const autoPath = auto ? `auto-${Buffer.from(JSON.stringify(auto)).toString('base64url')}/` : '';
  await updateApp(ctx, appid, {
    frontend: `${origin}/${type === 'minigame' ? 'game' : 'mini'}/${appid}/${autoPath}`,
  });
  const listing = await w.beckon.server.app.inject({
    method: 'GET',
    url: `/api/apps/${appid}`,
    headers: { authorization: `Bearer ${w.lister.token}` },
  });
  if (listing.statusCode !== 200) throw new Error(`listing: ${listing.body}`);
  return { appid, secret, listing: listing.json() as AppListing };
}

/** A wx call the test page makes (pages/mini/mini.js): `andThen` runs in its success callback. */
export interface Step {
  api: keyof Wx;
  args?: Record<string, unknown>;
  style?: 'promise' | 'callback';
  delay?: number;
  /** Calls it this many times in a row. */
  repeat?: number;
  andThen?: Step;
}

export interface MiniResult {
  api: string;
  ok: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: WeChat's result objects, read by the tests
  res: any;
}

/**
 * The test host page (pages/shell-host.html) of one signed-in user, and the apps' frames in it. The pages'
 * results are read from the console: evaluating script in a page (or polling it) would give it user
 * activation, which the tap rule reads.
 */
export class Host {
  private readonly log: (MiniResult & { href: string })[] = [];

  constructor(
    readonly page: Page,
    readonly user: SignedInUser,
  ) {
    page.on('console', (message) => {
      const [tag, json] = message.text().split(/ (.*)/s, 2);
      if (tag === 'beckon-test-result' && json) this.log.push(JSON.parse(json));
    });
  }

  static async open(w: WxWorld, user: SignedInUser, apps: MiniApp[]): Promise<Host> {
    const [page] = await openPages(w.browser, 1, w.beckon.page('shell-host.html'));
    await page!.waitForFunction(() => 'host' in window);
    await page!.evaluate(([token, listings]) => window.host.start(token, listings), [
      user.token,
      apps.map((a) => a.listing),
    ] as const);
    return new Host(page!, user);
  }

  /** The on-screen page of an app: the frame the user sees. */
  selector(app: MiniApp): string {
    return `[data-beckon-app="${app.appid}"] iframe:not([hidden])`;
  }

  frameLocator(app: MiniApp): FrameLocator {
    return this.page.frameLocator(this.selector(app));
  }

  /** The app's on-screen page, once its script ran. */
  async frame(app: MiniApp): Promise<Frame> {
    const handle = await this.page.waitForSelector(this.selector(app));
    const frame = await handle.contentFrame();
    if (!frame) throw new Error('no frame');
    await frame.waitForFunction(() => 'mini' in window && 'wx' in window);
    return frame;
  }

  /** Taps the app's icon in the host (a tap on the shell), and waits for its page. */
  async open(app: MiniApp): Promise<Frame> {
    await this.page.click(`[data-open="${app.appid}"]`);
    return this.frame(app);
  }

  /** Makes the page call `step` on its next tap of #act, and taps it (without waiting for the answer). */
  async tapWith(app: MiniApp, step: Step): Promise<void> {
    const frame = await this.frame(app);
    await frame.evaluate((s) => window.mini.prepare(s), step);
    await this.frameLocator(app).locator('#act').click();
  }

  /** Makes the page call `step` on its next tap of #act, taps it, and waits for the answer. */
  async call(app: MiniApp, step: Step): Promise<MiniResult> {
    const before = this.results(app).length;
    await this.tapWith(app, step);
    return this.result(app, before);
  }

  /** The app's pages' `index`th result, waiting for it. */
  result(app: MiniApp, index: number, ms = 10_000): Promise<MiniResult> {
    return eventually(() => this.results(app)[index], `result ${index} of ${app.listing.name}`, ms);
  }

  /** What the app's pages got so far, in order. */
  results(app: MiniApp): MiniResult[] {
    return this.log.filter((r) => r.href.includes(app.appid)).map(({ href: _, ...result }) => result);
  }

  /** The dialog the host drew, if any. */
  get dialog(): Locator {
    return this.page.locator('#dialog [role="dialog"]');
  }

  state(): Promise<ShellState> {
    return this.page.evaluate(() => window.host.shell.state);
  }

  // biome-ignore lint/suspicious/noExplicitAny: the requests the UI callbacks got, as JSON
  requests(): Promise<{ kind: string; request: any }[]> {
    return this.page.evaluate(() => window.host.requests);
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `${SCREENS}${name}.png` });
  }

  close(): Promise<void> {
    return this.page.context().close();
  }
}

declare global {
  interface Window {
    host: {
      // biome-ignore lint/suspicious/noExplicitAny: the requests the UI callbacks got, as JSON
      requests: { kind: string; request: any }[];
      states: ShellState[];
      start(token: string, apps: AppListing[]): void;
      shell: Shell;
    };
    mini: {
      results: MiniResult[];
      // biome-ignore lint/suspicious/noExplicitAny: wx.onShow's argument as the page got it
      shows: any[];
      touchEnds: number;
      onTouchEnd: Step | null;
      prepare(step: Step): void;
      run(step: Step): void;
    };
    wx: Wx;
  }
}
