/**
 * What a mini program's page cannot do: see or click the shell's dialog (it is in the phone's DOM, and the
 * app's frames are inert while it is open), act as another app (the shell knows the app by its frame, not by
 * anything a message says; and each app's frames are on its own origin, so a page cannot reach into another
 * app's frame to call its wx), or make the shell do anything from a frame of an origin no app registered.
 */
import { BRIDGE_CHANNEL } from '@beckon/protocol';
import type { Frame } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { addLibraryTemplate } from '../../server/src/test-support/harness.js';
import { Host, type MiniApp, newApp, newUser, useWxWorld } from './support/wx-world.js';

const w = useWxWorld();

let host: Host;
afterEach(() => host?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the shell (the host page's own scripts) printed on the console. */
function shellConsole(h: Host): string[] {
  const lines: string[] = [];
  h.page.on('console', (message) => {
    if (message.location().url.startsWith(w.beckon.url)) lines.push(message.text());
  });
  return lines;
}

/** Posts a raw bridge message from `frame` to `target` and collects what comes back to it for `ms`. */
function postRaw(
  frame: Frame,
  message: Record<string, unknown>,
  target: 'parent' | 'top' = 'parent',
  ms = 1_500,
) {
  return frame.evaluate(
    ([m, t, wait]) =>
      new Promise<unknown[]>((resolve) => {
        const replies: unknown[] = [];
        window.addEventListener('message', (event) => {
          if ((event.data as { kind?: string })?.kind === 'reply') replies.push(event.data);
        });
        (t === 'top' ? window.top! : window.parent).postMessage(m, '*');
        setTimeout(() => resolve(replies), wait);
      }),
    [message, target, ms] as const,
  );
}

test("a page can neither read the dialog nor click it: the app's frames are inert while it is open", async () => {
  const app = await newApp(w);
  const id = await addLibraryTemplate(w.beckon.server, app, 1101, [1, 2]);
  host = await Host.open(w, await newUser(w), [app]);
  const frame = await host.open(app);
  await host.tapWith(app, { api: 'requestSubscribeMessage', args: { tmplIds: [id] } });
  await host.dialog.waitFor();

  // Not in the page's DOM, and the shell's DOM is another origin's.
  expect(
    await frame.evaluate(() => {
      let parentDocument: string;
      try {
        parentDocument = String(window.parent.document.title);
      } catch (err) {
        parentDocument = (err as Error).name;
      }
      return { parentDocument, dialogs: document.querySelectorAll('[role="dialog"]').length };
    }),
  ).toEqual({ parentDocument: 'SecurityError', dialogs: 0 });

  // Inert: let the pointer through the host's backdrop, and a click on the page's button still does nothing.
  expect(
    await host.page.evaluate(
      (appid) => document.querySelector<HTMLElement>(`[data-beckon-app="${appid}"]`)!.inert,
      app.appid,
    ),
  ).toBe(true);
  await host.page.addStyleTag({
    content: '#dialog { pointer-events: none; background: none } #dialog > * { pointer-events: auto }',
  });
  await frame.evaluate(() => {
    (window as unknown as { clicks: number }).clicks = 0;
    document
      .getElementById('act')!
      .addEventListener('click', () => (window as unknown as { clicks: number }).clicks++);
  });
  const box = (await host.frameLocator(app).locator('#act').boundingBox())!;
  await host.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  expect(await frame.evaluate(() => (window as unknown as { clicks: number }).clicks)).toBe(0);
  await host.screenshot('wx-dialog-over-inert-frame');

  await host.dialog.getByRole('button', { name: 'Allow' }).click();
  expect((await host.result(app, 0)).res[id]).toBe('accept');
  expect(
    await host.page.evaluate(
      (appid) => document.querySelector<HTMLElement>(`[data-beckon-app="${appid}"]`)!.inert,
      app.appid,
    ),
  ).toBe(false);
});

// What a message says about the app: the shell answers as the frame's app whatever it says. (A page reaching
// into another app's frame is the real attack: "a page cannot reach into another app's frame" below.)
test("what a message says about the app changes nothing: the shell answers as the frame's app", async () => {
  const app = await newApp(w, { name: 'Tiny Shop' });
  const other = await newApp(w, { name: 'Other Shop' });
  const othersTemplate = await addLibraryTemplate(w.beckon.server, other, 1101, [1, 2]);
  host = await Host.open(w, await newUser(w), [app, other]);
  const frame = await host.open(app);

  const [reply] = (await postRaw(frame, {
    channel: BRIDGE_CHANNEL,
    kind: 'call',
    id: 999,
    api: 'login',
    args: { appid: other.appid },
    appid: other.appid,
  })) as { ok: boolean; result: { code: string } }[];
  expect(reply).toMatchObject({ id: 999, ok: true });
  const session = (creds: MiniApp) =>
    w.beckon.server.app
      .inject({
        method: 'GET',
        url: '/sns/jscode2session',
        query: {
          appid: creds.appid,
          secret: creds.secret,
          js_code: reply!.result.code,
          grant_type: 'authorization_code',
        },
      })
      .then((r) => r.json());
  expect(await session(other)).toMatchObject({ errcode: expect.any(Number) });
  expect(await session(app)).toMatchObject({ openid: expect.any(String) });

  // The other app's template is not this app's: 20001, and nothing asked.
  const { res } = await host.call(app, {
    api: 'requestSubscribeMessage',
    args: { tmplIds: [othersTemplate], appid: other.appid },
  });
  expect(res).toMatchObject({ errCode: 20001 });
  expect(await host.dialog.count()).toBe(0);
});

test("a page cannot reach into another app's frame: each app's front end is an origin of its own", async () => {
  const victim = await newApp(w, { name: 'Victim Shop' });
  const attacker = await newApp(w, { name: 'Attacker Shop' });
  expect(new URL(victim.listing.frontend!).origin).not.toBe(new URL(attacker.listing.frontend!).origin);
  host = await Host.open(w, await newUser(w), [victim, attacker]);
  await host.open(victim);
  const frame = await host.open(attacker);
  expect((await host.state()).running.map((r) => r.app.appid)).toEqual([victim.appid, attacker.appid]);

  // Every frame of the phone, as the attacker's page finds them: the victim's wx is out of its reach.
  const reached = await frame.evaluate(() =>
    Array.from({ length: parent.frames.length }, (_, i) => {
      const other = parent.frames[i]!;
      if (other === window) return 'itself';
      try {
        const wx = (other as unknown as { wx: { login(options: object): unknown } }).wx;
        wx.login({});
        return `called ${typeof wx}`;
      } catch (err) {
        return (err as Error).name;
      }
    }),
  );
  expect(reached.sort()).toEqual(['SecurityError', 'itself']);
  await host.screenshot('wx-two-apps-two-origins');
});

test('the shell refuses to run two apps whose front ends claim one origin, should the server list them', async () => {
  const first = await newApp(w, { name: 'First Shop' });
  const second = await newApp(w, { name: 'Second Shop' });
  // The listings as a server that let the two share an origin would give them.
  const shared = {
    ...second.listing,
    frontend: `${new URL(first.listing.frontend!).origin}/mini/${second.appid}/`,
  };
  host = await Host.open(w, await newUser(w), [first]);
  await host.open(first);
  const refusals = await host.page.evaluate((listing) => {
    const attempt = (open: () => void) => {
      try {
        open();
        return null;
      } catch (err) {
        return `${(err as Error).name}: ${(err as Error).message}`;
      }
    };
    return [
      attempt(() => window.host.shell.open(listing)),
      attempt(() => window.host.shell.openFromCard(listing, 'pages/index')),
    ];
  }, shared);
  for (const refusal of refusals)
    expect(refusal).toBe(
      `ShellError: ${second.appid}: its front end's origin (${new URL(first.listing.frontend!).origin}) is also ${first.appid}'s, which is running`,
    );
  expect((await host.state()).running.map((r) => r.app.appid)).toEqual([first.appid]);
  expect(await host.page.locator(`[data-beckon-app="${second.appid}"]`).count()).toBe(0);

  // Once the first app is closed, the second may run there.
  await host.page.evaluate(
    ([closed, listing]) => {
      window.host.shell.close(closed);
      window.host.shell.open(listing);
    },
    [first.appid, shared] as const,
  );
  expect((await host.state()).running.map((r) => r.app.appid)).toEqual([second.appid]);
});

test('a frame of an origin no app registered makes the shell do nothing, and the shell logs nothing', async () => {
  const app = await newApp(w);
  host = await Host.open(w, await newUser(w), [app]);
  const printed = shellConsole(host);
  const frame = await host.open(app);

  // A frame of another origin inside the app's page, posting straight to the shell a call that needs no tap.
  await frame.evaluate(
    (src) =>
      new Promise((resolve) => {
        const nested = document.createElement('iframe');
        nested.src = src;
        nested.onload = resolve;
        document.body.append(nested);
      }),
    `${w.stranger.url}/raw.html`,
  );
  const nested = frame.childFrames()[0]!;
  const modal = {
    channel: BRIDGE_CHANNEL,
    kind: 'call',
    id: 1,
    api: 'showModal',
    args: { title: 'Stranger', content: 'Drawn for a frame of no app' },
  };
  expect(await postRaw(nested, modal, 'top')).toEqual([]);
  // Taken, the call would have asked the host to draw a modal: nothing reached it.
  expect(await host.requests()).toEqual([]);
  expect(await host.dialog.count()).toBe(0);
  // The same message from the app's own page is drawn (what the check above would have seen).
  const answered = postRaw(frame, { ...modal, args: { title: 'Own', content: 'Drawn' } }, 'parent', 5_000);
  await host.dialog.waitFor();
  expect((await host.requests()).map((r) => [r.kind, r.request.title])).toEqual([['modal', 'Own']]);
  await host.dialog.getByRole('button', { name: 'OK' }).click();
  expect(await answered).toMatchObject([{ id: 1, ok: true, result: { confirm: true } }]);
  const call = { channel: BRIDGE_CHANNEL, kind: 'call', id: 1, api: 'login', args: {} };

  // Malformed calls from the app's own page are ignored too.
  for (const bad of [
    { ...call, id: 'one' },
    { ...call, api: 'eval' },
    { ...call, api: 'toString' },
    { ...call, kind: 'reply', ok: true, result: {} },
  ])
    expect(await postRaw(frame, bad, 'parent', 300)).toEqual([]);

  // The app's own frame, once it shows another origin's page: not the app any more (its tap-free call
  // draws nothing).
  await host.call(app, { api: 'login' });
  const strangerModal = {
    api: 'showModal',
    args: { title: 'Elsewhere', content: 'Drawn for another origin' },
  };
  const elsewhere = `${w.stranger.url}/mini/${app.appid}/?auto=${encodeURIComponent(JSON.stringify(strangerModal))}`;
  await frame.evaluate((url) => {
    location.href = url;
  }, elsewhere);
  await frame.waitForURL(elsewhere);
  await frame.waitForFunction(() => 'mini' in window);
  await sleep(1_500);
  expect(host.results(app).map((r) => r.api)).toEqual(['login']);
  expect((await host.requests()).map((r) => [r.kind, r.request.title])).toEqual([['modal', 'Own']]);
  expect(await host.dialog.count()).toBe(0);
  expect(printed).toEqual([]);
});
