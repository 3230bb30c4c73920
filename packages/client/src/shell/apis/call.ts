import type { BridgeApi } from '@beckon/protocol';
import type { AppApi } from '../app-api.js';
import type { PageFrame, RunningApp } from '../running-app.js';
import type { ShellUi } from '../ui.js';

/** What a dialog answers: its UI callback's result, or WITHDRAWN when the shell took it back. */
export type Answer<K extends keyof ShellUi> = Awaited<ReturnType<ShellUi[K]>>;
export const WITHDRAWN = Symbol('withdrawn');

/** The shell's parts a handler uses. */
export interface ShellServices {
  /** The app is in front and the phone's page is visible: dialogs can be shown. */
  inFront(app: RunningApp): boolean;
  /** The call was made in a user's tap in `frame` (tap-gate.ts); uses the tap up. */
  tapped(app: RunningApp, frame: PageFrame): boolean;
  /** Takes the one slot for a request that raises a dialog; false while another holds it. */
  claim(app: RunningApp): boolean;
  /** Gives the slot back (a no-op when the app was closed meanwhile and another took it). */
  release(app: RunningApp): void;
  /** Asks the UI to draw a dialog for `app`, its frames inert meanwhile. */
  dialog<K extends keyof ShellUi>(
    app: RunningApp,
    kind: K,
    request: Parameters<ShellUi[K]>[0],
  ): Promise<Answer<K> | typeof WITHDRAWN>;
  /** The page stack changed: the state is redrawn. */
  changed(): void;
}

/** One wx call from a page, taken by the shell (its frame and origin checked). */
export interface Call {
  api: BridgeApi;
  args: Record<string, unknown>;
  app: RunningApp;
  frame: PageFrame;
  /** The client API for this app, as the signed-in user. */
  http: AppApi;
  shell: ShellServices;
}

/** A success result: `errMsg` `"<api>:ok"` and the API's fields. */
export type WxResult = { errMsg: string } & Record<string, unknown>;

export type Handler = (call: Call) => Promise<WxResult>;
