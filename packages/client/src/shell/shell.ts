import {
  type AppListing,
  BRIDGE_CHANNEL,
  type BridgeApi,
  type BridgeReply,
  isBridgeMessage,
  type LaunchOptions,
  parsePageUrl,
  SCENES,
  wxFailMsg,
} from '@beckon/protocol';
import type { PlatformHttp } from '../platform/http.js';
import { StateStore } from '../state-store.js';
import { WxFailure } from './apis/fail.js';
import { type Answer, HANDLERS, type ShellServices, WITHDRAWN } from './apis/index.js';
import { AppApi } from './app-api.js';
import { frontendOrigin, type PageFrame, RunningApp, ShellError } from './running-app.js';
import type { ShellState, StateListener } from './state.js';
import { TapGate } from './tap-gate.js';
import type { DialogKind, ShellUi } from './ui.js';

export interface ShellOptions {
  /**
   * The element the apps' pages are mounted in: give it a size and `position: relative`, and keep it in
   * the document while apps run (removing it unloads their pages). The shell adds one child per running app.
   */
  host: HTMLElement;
  /** The signed-in user's client API: every call of an app is made as this user. */
  http: PlatformHttp;
  /** Draws the dialogs (ui.ts). */
  ui: ShellUi;
}

interface OpenDialog {
  app: RunningApp;
  controller: AbortController;
}

/**
 * The host's side of the wx bridge: runs mini programs and mini games in sandboxed frames of their front
 * ends, answers their `wx` calls as the signed-in user, and asks the phone to draw every dialog.
 *
 * @example
 * const shell = new Shell({ host: document.querySelector('#apps'), http, ui });
 * shell.subscribe((state) => render(state));
 * shell.open(app);                                  // from the home list (scene 1001)
 * shell.openFromCard(app, card.page);               // from a Service Notifications card (scene 1014)
 * shell.background();                               // the user switched tabs: the app keeps its pages
 */
export class Shell {
  private readonly win: Window;
  private readonly host: HTMLElement;
  private readonly http: PlatformHttp;
  private readonly ui: ShellUi;
  private readonly store = new StateStore<ShellState>(
    { running: [], front: null, dialog: null },
    'Shell state listener failed:',
  );
  private readonly tap: TapGate;
  /** Running apps by appid, in the order they were opened. */
  private readonly apps = new Map<string, RunningApp>();
  private front: RunningApp | null = null;
  /** The app whose request holds the dialog slot (one request that raises a dialog at a time). */
  private busy: RunningApp | null = null;
  private openDialog: OpenDialog | null = null;
  private readonly services: ShellServices;

  constructor(options: ShellOptions) {
    const win = options.host.ownerDocument.defaultView;
    if (!win) throw new TypeError('Shell: the host element must be in a document with a window');
    this.win = win;
    this.host = options.host;
    this.http = options.http;
    this.ui = options.ui;
    this.tap = new TapGate(win, options.host);
    win.addEventListener('message', this.onMessage);
    this.services = {
      inFront: (app) => this.front === app && this.win.document.visibilityState === 'visible',
      tapped: (app, frame) => this.tap.take(app.app.appid, frame.element),
      claim: (app) => {
        if (this.busy) return false;
        this.busy = app;
        return true;
      },
      release: (app) => {
        if (this.busy === app) this.busy = null;
      },
      dialog: (app, kind, request) => this.showDialog(app, kind, request),
      changed: () => this.publish(),
    };
  }

  /** The current state (a new object on every change). */
  get state(): ShellState {
    return this.store.state;
  }

  /** Calls `listener` with the new state on every change; returns the unsubscribe function. */
  subscribe(listener: StateListener): () => void {
    return this.store.subscribe(listener);
  }

  /**
   * Opens an app from the phone's list (scene 1001) at its entry page, or brings it to the front as the
   * user left it when it is running. Throws a ShellError when the app has no usable front end, or when
   * another running app's front end has its origin.
   */
  open(app: AppListing): void {
    const running = this.apps.get(app.appid);
    if (running === this.front && running) return;
    if (running) {
      const top = running.top.page;
      this.bringToFront(running, { path: top.path, query: top.query, scene: SCENES.HOME, referrerInfo: {} });
      return;
    }
    const path = app.type === 'minigame' ? '' : app.entryPage;
    this.start(app, { path, query: {}, scene: SCENES.HOME, referrerInfo: {} });
  }

  /**
   * Opens an app from a Service Notifications card (scene 1014) at the card's page and query (`page` as
   * sent, e.g. `pages/order/detail?id=42`; none: the entry page). A mini game gets no page and no query
   * (spec §6.4). A running app starts over at that page. Throws a ShellError as `open` does.
   */
  openFromCard(app: AppListing, page?: string | null): void {
    const target =
      app.type === 'minigame'
        ? { path: '', query: {} }
        : page
          ? parsePageUrl(page)
          : { path: app.entryPage, query: {} };
    const launch: LaunchOptions = { ...target, scene: SCENES.SERVICE_NOTIFICATION, referrerInfo: {} };
    const running = this.apps.get(app.appid);
    if (!running) {
      this.start(app, launch);
      return;
    }
    this.withdraw(running);
    running.relaunch(launch);
    this.bringToFront(running, launch);
  }

  /** Brings a running app to the front again (scene 1001), as the user left it. */
  show(appid: string): void {
    const running = this.apps.get(appid);
    if (running) this.open(running.app);
  }

  /**
   * Sends the app in front to the background (the user switched to another tab of the phone): its pages
   * stay loaded and hear `hide`; a dialog it had open is withdrawn (10005 for a consent request).
   */
  background(): void {
    if (this.front) this.hideApp(this.front);
    this.publish();
  }

  /** The phone's back button: the app in front goes back one page; false when it is on its first page. */
  back(): boolean {
    const app = this.front;
    if (!app || app.pages.length <= 1) return false;
    app.pop(1);
    this.publish();
    return true;
  }

  /** Closes a running app: its pages are unloaded. */
  close(appid: string): void {
    const app = this.apps.get(appid);
    if (!app) return;
    if (this.front === app) this.front = null;
    this.withdraw(app);
    if (this.busy === app) this.busy = null;
    app.destroy();
    this.apps.delete(appid);
    this.publish();
  }

  /** Closes every app and stops listening (signing out). */
  destroy(): void {
    for (const appid of [...this.apps.keys()]) this.close(appid);
    this.win.removeEventListener('message', this.onMessage);
    this.tap.destroy();
  }

  private start(app: AppListing, launch: LaunchOptions): void {
    const origin = frontendOrigin(app, this.win.location.origin);
    // Frames of one origin can script each other: one app's page could call the other's wx in its window and
    // be answered as that app. The server gives each front end an origin of its own; this holds if it did not.
    const other = [...this.apps.values()].find((running) => running.origin === origin);
    if (other)
      throw new ShellError(
        `${app.appid}: its front end's origin (${origin}) is also ${other.app.appid}'s, which is running`,
      );
    const running = new RunningApp(app, origin, this.host, launch);
    this.apps.set(app.appid, running);
    this.bringToFront(running, launch);
  }

  private bringToFront(app: RunningApp, shown: LaunchOptions): void {
    if (this.front && this.front !== app) this.hideApp(this.front);
    this.front = app;
    app.shown = shown;
    app.setVisible(true);
    app.postAll({ channel: BRIDGE_CHANNEL, kind: 'event', event: 'show', data: shown });
    this.publish();
  }

  private hideApp(app: RunningApp): void {
    if (this.front === app) this.front = null;
    this.withdraw(app);
    app.setVisible(false);
    app.postAll({ channel: BRIDGE_CHANNEL, kind: 'event', event: 'hide' });
  }

  private withdraw(app: RunningApp): void {
    if (this.openDialog?.app === app) this.openDialog.controller.abort();
  }

  private publish(): void {
    const dialog = this.store.state.dialog;
    this.store.set({
      running: [...this.apps.values()].map((app) => app.view()),
      front: this.front?.app.appid ?? null,
      dialog,
    });
  }

  private async showDialog<K extends DialogKind>(
    app: RunningApp,
    kind: K,
    request: Parameters<ShellUi[K]>[0],
  ): Promise<Answer<K> | typeof WITHDRAWN> {
    const controller = new AbortController();
    this.openDialog = { app, controller };
    app.setInert(true);
    this.store.set({ dialog: { appid: app.app.appid, kind } });
    const withdrawn = new Promise<typeof WITHDRAWN>((resolve) =>
      controller.signal.addEventListener('abort', () => resolve(WITHDRAWN)),
    );
    try {
      const draw = this.ui[kind] as (request: unknown, signal: AbortSignal) => Promise<Answer<K>>;
      const answer = await Promise.race([
        Promise.resolve().then(() => draw.call(this.ui, request, controller.signal)),
        withdrawn,
      ]);
      // The phone's button handler is running: a modal's or sheet's tap counts for the app's next call.
      if (answer !== WITHDRAWN && (kind === 'modal' || kind === 'actionSheet'))
        this.tap.dialogAnswered(app.app.appid);
      return answer;
    } catch (err) {
      console.error(`Shell: the UI's ${kind} dialog failed:`, err);
      return WITHDRAWN;
    } finally {
      this.openDialog = null;
      app.setInert(false);
      this.store.set({ dialog: null });
    }
  }

  private readonly onMessage = (event: MessageEvent): void => {
    if (!isBridgeMessage(event.data)) return;
    for (const app of this.apps.values()) {
      const frame = app.frameOf(event.source);
      if (!frame) continue;
      // The frame is the app's, but it no longer shows the app's front end: not the app speaking.
      if (event.origin === app.origin) this.take(app, frame, event.data);
      return;
    }
  };

  private take(app: RunningApp, frame: PageFrame, data: { kind: string }): void {
    if (data.kind === 'ready') {
      frame.ready = true;
      if (this.front === app)
        app.post(frame, { channel: BRIDGE_CHANNEL, kind: 'event', event: 'show', data: app.shown });
      return;
    }
    if (data.kind !== 'call') return;
    const { id, api, args } = data as { id?: unknown; api?: unknown; args?: unknown };
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return;
    if (typeof api !== 'string' || !Object.hasOwn(HANDLERS, api)) return;
    const plainArgs =
      typeof args === 'object' && args !== null && !Array.isArray(args)
        ? (args as Record<string, unknown>)
        : {};
    const call = {
      api: api as BridgeApi,
      args: plainArgs,
      app,
      frame,
      http: new AppApi(this.http, app.app.appid),
      shell: this.services,
    };
    HANDLERS[api as BridgeApi](call).then(
      (result): void =>
        this.reply(app, frame, { channel: BRIDGE_CHANNEL, kind: 'reply', id, ok: true, result }),
      (err: unknown): void => {
        if (!(err instanceof WxFailure)) console.error(`Shell: ${api} failed:`, err);
        const result = err instanceof WxFailure ? err.result : { errMsg: wxFailMsg(api, String(err)) };
        this.reply(app, frame, { channel: BRIDGE_CHANNEL, kind: 'reply', id, ok: false, result });
      },
    );
  }

  private reply(app: RunningApp, frame: PageFrame, reply: BridgeReply): void {
    app.post(frame, reply);
  }
}
