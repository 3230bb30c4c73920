/**
 * The shell running apps: page stacks (navigateTo / redirectTo / navigateBack and their limits), the front
 * and the background (frames kept, `onShow` with the launch options), opening from a card (scene 1014),
 * and the state the phone draws from.
 */
import { type AppListing, MAX_PAGE_STACK, WX_FAIL } from '@beckon/protocol';
import { afterEach, describe, expect, test } from 'vitest';
import { Host, type MiniApp, newApp, newUser, useWxWorld } from './support/wx-world.js';

const w = useWxWorld();
const PAGES = ['pages/index', 'pages/list', 'pages/detail'];

let host: Host;
afterEach(() => host?.close());

async function opened(...apps: MiniApp[]): Promise<Host> {
  host = await Host.open(w, await newUser(w), apps);
  await host.open(apps[0]!);
  return host;
}

/** The on-screen page's path and query, as its own URL says; it is the only page of any app shown. */
async function onScreen(app: MiniApp): Promise<string> {
  const frame = await host.frame(app);
  expect(await host.page.locator('[data-beckon-app] iframe:visible').count()).toBe(1);
  return frame.evaluate(() => location.pathname.split('/').slice(3).join('/') + location.search);
}

const launchOf = async (app: MiniApp) =>
  (await host.frame(app)).evaluate(() => window.wx.getLaunchOptionsSync());
const showsOf = async (app: MiniApp) => (await host.frame(app)).evaluate(() => window.mini.shows);
const openFromCard = (listing: AppListing, page: string | null) =>
  host.page.evaluate(([l, p]) => window.host.shell.openFromCard(l, p), [listing, page] as const);

describe('the page stack', () => {
  test('navigateTo pushes a page (relative urls from the calling page), navigateBack pops, redirectTo replaces', async () => {
    const app = await newApp(w, { pages: PAGES });
    await opened(app);
    expect(await onScreen(app)).toBe('pages/index');

    expect(
      (await host.call(app, { api: 'navigateTo', args: { url: '/pages/detail?id=42' } })).res,
    ).toMatchObject({
      errMsg: 'navigateTo:ok',
    });
    expect(await onScreen(app)).toBe('pages/detail?id=42');
    expect((await host.state()).running[0]!.pages).toEqual([
      { path: 'pages/index', query: {} },
      { path: 'pages/detail', query: { id: '42' } },
    ]);
    // Every page answers getLaunchOptionsSync with how the app was opened.
    expect(await launchOf(app)).toMatchObject({
      path: 'pages/index',
      query: {},
      scene: 1001,
      referrerInfo: {},
    });
    await host.screenshot('wx-navigate-detail');

    expect((await host.call(app, { api: 'navigateTo', args: { url: 'list?sort=new' } })).ok).toBe(true);
    expect(await onScreen(app)).toBe('pages/list?sort=new');
    expect((await host.call(app, { api: 'redirectTo', args: { url: '/pages/detail?id=7' } })).res).toEqual({
      errMsg: 'redirectTo:ok',
    });
    expect(await onScreen(app)).toBe('pages/detail?id=7');
    expect((await host.state()).running[0]!.pages.map((p) => p.path)).toEqual([
      'pages/index',
      'pages/detail',
      'pages/detail',
    ]);

    expect((await host.call(app, { api: 'navigateBack', args: {} })).res).toEqual({
      errMsg: 'navigateBack:ok',
    });
    expect(await onScreen(app)).toBe('pages/detail?id=42');
    // The phone's back button does the same.
    await host.page.click('#back');
    expect(await onScreen(app)).toBe('pages/index');
    expect((await host.call(app, { api: 'navigateBack' })).res).toEqual({
      errMsg: `navigateBack:fail ${WX_FAIL.NAVIGATE_BACK_FIRST_PAGE}`,
    });
  });

  test('limits: undeclared pages, 10 pages at most, a delta past the first page, a mini game', async () => {
    const app = await newApp(w, { pages: PAGES });
    await opened(app);
    expect((await host.call(app, { api: 'navigateTo', args: { url: '/pages/nope' } })).res).toEqual({
      errMsg: 'navigateTo:fail page "pages/nope" is not found',
    });
    expect((await host.call(app, { api: 'navigateTo', args: {} })).ok).toBe(false);
    for (let depth = 2; depth <= MAX_PAGE_STACK; depth++) {
      const { ok } = await host.call(app, { api: 'navigateTo', args: { url: `/pages/list?depth=${depth}` } });
      expect(ok).toBe(true);
    }
    expect((await host.state()).running[0]!.pages).toHaveLength(MAX_PAGE_STACK);
    expect((await host.call(app, { api: 'navigateTo', args: { url: '/pages/detail' } })).res).toEqual({
      errMsg: `navigateTo:fail ${WX_FAIL.PAGE_STACK_FULL}`,
    });
    expect((await host.call(app, { api: 'navigateBack', args: { delta: 50 } })).ok).toBe(true);
    expect(await onScreen(app)).toBe('pages/index');
    expect(await host.page.locator(`[data-beckon-app="${app.appid}"] iframe`).count()).toBeLessThanOrEqual(
      MAX_PAGE_STACK,
    );

    const game = await newApp(w, { type: 'minigame' });
    await host.close();
    await opened(game);
    expect((await host.call(game, { api: 'navigateTo', args: { url: '/pages/list' } })).res).toEqual({
      errMsg: 'navigateTo:fail a mini game has one page',
    });
  });
});

describe('front and background', () => {
  test('onShow at launch; a tab switch keeps the frames (hide), coming back shows them again', async () => {
    const shop = await newApp(w, { pages: PAGES });
    const game = await newApp(w, { type: 'minigame' });
    await opened(shop, game);
    const shows = await showsOf(shop);
    expect(shows).toHaveLength(1);
    expect(shows[0]).toMatchObject({ path: 'pages/index', query: {}, scene: 1001, referrerInfo: {} });
    expect(await host.state()).toMatchObject({ front: shop.appid, dialog: null });

    await host.call(shop, { api: 'navigateTo', args: { url: '/pages/detail?id=1' } });
    const frame = await host.frame(shop);
    await frame.evaluate(() => {
      (window as unknown as { kept: boolean }).kept = true;
    });
    await host.page.click('#away');
    expect((await host.state()).front).toBeNull();
    expect(await host.page.locator(`[data-beckon-app="${shop.appid}"]`).isHidden()).toBe(true);

    // Another app opens in front; the first keeps its pages behind.
    await host.open(game);
    expect((await host.state()).running.map((r) => r.app.appid)).toEqual([shop.appid, game.appid]);
    expect((await host.state()).front).toBe(game.appid);
    await host.screenshot('wx-second-app');

    await host.open(shop);
    expect(await frame.evaluate(() => (window as unknown as { kept?: boolean }).kept)).toBe(true);
    const again = await showsOf(shop);
    expect(again.at(-1)).toMatchObject({ path: 'pages/detail', query: { id: '1' }, scene: 1001 });
    expect(await onScreen(shop)).toBe('pages/detail?id=1');
  });

  test("a front end on the phone's own origin is refused", async () => {
    const app = await newApp(w);
    host = await Host.open(w, await newUser(w), [app]);
    const sameOrigin = { ...app.listing, frontend: `${w.beckon.url}/test/` };
    const error = await host.page.evaluate((l) => {
      try {
        window.host.shell.open(l);
        return null;
      } catch (err) {
        return `${(err as Error).name}: ${(err as Error).message}`;
      }
    }, sameOrigin);
    expect(error).toMatch(/^ShellError: .*own origin/);
    expect((await host.state()).running).toEqual([]);
  });
});

describe('opening from a card', () => {
  test("scene 1014 with the card's page and query; a running app starts over there", async () => {
    const app = await newApp(w, { pages: PAGES });
    await opened(app);
    await host.call(app, { api: 'navigateTo', args: { url: '/pages/list' } });
    await host.page.click('#away');

    await openFromCard(app.listing, 'pages/detail?id=42&from=card');
    expect(await onScreen(app)).toBe('pages/detail?id=42&from=card');
    const launch = { path: 'pages/detail', query: { id: '42', from: 'card' }, scene: 1014 };
    expect(await launchOf(app)).toMatchObject(launch);
    expect((await showsOf(app)).at(-1)).toMatchObject(launch);
    expect((await host.state()).running[0]).toMatchObject({
      launch: { ...launch, referrerInfo: {} },
      pages: [{ path: 'pages/detail', query: { id: '42', from: 'card' } }],
    });
    await host.screenshot('wx-opened-from-card');
  });

  test('a mini game from a card gets scene 1014 and no query', async () => {
    const game = await newApp(w, { type: 'minigame' });
    host = await Host.open(w, await newUser(w), [game]);
    await openFromCard(game.listing, 'pages/level?id=3');
    expect(await launchOf(game)).toMatchObject({ path: '', query: {}, scene: 1014 });
    expect((await showsOf(game))[0]).toMatchObject({ path: '', query: {}, scene: 1014 });
  });
});
