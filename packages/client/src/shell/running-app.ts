import { type AppListing, type LaunchOptions, pageUrl, type ShellToPage } from '@beckon/protocol';
import type { RunningAppState, ShellPage } from './state.js';

/** What a sandboxed page may do: run scripts, submit forms, keep its own origin (storage, cookies). */
export const FRAME_SANDBOX = 'allow-scripts allow-forms allow-same-origin';

/** A page taken off the stack is hidden at once and unloaded this much later, once its answer reached it. */
const RETIRE_MS = 1_000;

/** One page of an app: an iframe of the app's front end. */
export interface PageFrame {
  readonly page: ShellPage;
  readonly element: HTMLIFrameElement;
  /** Its wx said it is ready: events are posted to it from then on (before, the frame holds no page of the app). */
  ready: boolean;
}

/** Why the shell refuses to open an app. */
export class ShellError extends Error {
  override readonly name = 'ShellError';
}

/**
 * The origin the shell takes an app's messages from: its registered front end's. Refused: no front end, not
 * http(s), or the shell's own origin (a same-origin page in a sandbox with `allow-same-origin` could reach
 * into the shell).
 */
export function frontendOrigin(app: AppListing, shellOrigin: string): string {
  if (!app.frontend) throw new ShellError(`${app.appid} has no front end to open`);
  let url: URL;
  try {
    url = new URL(app.frontend);
  } catch {
    throw new ShellError(`${app.appid}: front end ${app.frontend} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ShellError(`${app.appid}: front end ${app.frontend} is not http(s)`);
  if (url.origin === shellOrigin)
    throw new ShellError(`${app.appid}: a front end on the phone's own origin (${url.origin}) is refused`);
  return url.origin;
}

/** A running app: a container in the shell's host element holding its page stack, one frame per page. */
export class RunningApp {
  readonly container: HTMLDivElement;
  /** What the last `show` event carried: a page that says it is ready hears it. */
  shown: LaunchOptions;
  private stack: PageFrame[] = [];

  constructor(
    readonly app: AppListing,
    /** The registered front end's origin (frontendOrigin). */
    readonly origin: string,
    host: HTMLElement,
    /** How the app was opened: `getLaunchOptionsSync` on every page. */
    public launch: LaunchOptions,
  ) {
    this.shown = launch;
    this.container = host.ownerDocument.createElement('div');
    this.container.dataset.beckonApp = app.appid;
    this.container.style.cssText = 'position:absolute;inset:0;';
    host.append(this.container);
    this.push({ path: launch.path, query: launch.query });
  }

  get pages(): readonly PageFrame[] {
    return this.stack;
  }

  get top(): PageFrame {
    return this.stack[this.stack.length - 1]!;
  }

  /** The page whose window posted a message, if it is one of this app's. */
  frameOf(source: MessageEventSource | null): PageFrame | undefined {
    return source ? this.stack.find((f) => f.element.contentWindow === source) : undefined;
  }

  /** Opens a page on top of the stack (navigateTo). */
  push(page: ShellPage): PageFrame {
    const doc = this.container.ownerDocument;
    const element = doc.createElement('iframe');
    element.setAttribute('sandbox', FRAME_SANDBOX);
    element.title = this.app.name;
    element.style.cssText = 'position:absolute;inset:0;width:100%;height:100%;border:0;';
    const src = pageUrl(this.app.frontend!, this.launch, page);
    // Whatever a card or a link said of the page, a frame of this app only ever loads its front end's origin.
    if (new URL(src).origin !== this.origin)
      throw new ShellError(`${this.app.appid}: page ${page.path} is not on its front end's origin`);
    element.src = src;
    const frame: PageFrame = { page: { path: page.path, query: { ...page.query } }, element, ready: false };
    if (this.stack.length > 0) show(this.top.element, false);
    this.stack.push(frame);
    this.container.append(element);
    return frame;
  }

  /** Takes `count` pages off the top (navigateBack), never the first; the one beneath shows. */
  pop(count: number): void {
    const removed = this.stack.splice(Math.max(1, this.stack.length - count));
    for (const frame of removed) retire(frame);
    show(this.top.element, true);
  }

  /** Replaces the top page (redirectTo). */
  replaceTop(page: ShellPage): PageFrame {
    const old = this.stack.pop()!;
    retire(old);
    return this.push(page);
  }

  /** Starts over at `launch`'s page, every other page unloaded (opening from a card). */
  relaunch(launch: LaunchOptions): void {
    this.launch = launch;
    for (const frame of this.stack.splice(0)) retire(frame);
    this.push({ path: launch.path, query: launch.query });
  }

  setVisible(visible: boolean): void {
    show(this.container, visible);
  }

  /** While a dialog of the shell is open, nothing in the app's pages can be clicked, typed or focused. */
  setInert(inert: boolean): void {
    this.container.inert = inert;
  }

  /** Posts to one page, only while it still shows the app's front end origin. */
  post(frame: PageFrame, message: ShellToPage): void {
    frame.element.contentWindow?.postMessage(message, this.origin);
  }

  /** Posts to every page whose wx is ready (a loading one hears `show` when it says it is ready). */
  postAll(message: ShellToPage): void {
    for (const frame of this.stack) if (frame.ready) this.post(frame, message);
  }

  destroy(): void {
    this.stack = [];
    this.container.remove();
  }

  view(): RunningAppState {
    return { app: this.app, launch: this.launch, pages: this.stack.map((f) => f.page) };
  }
}

/**
 * Shows or hides one of the shell's elements: `hidden` says so, and an inline `display` makes it so whatever
 * the phone's own styles say of iframes or divs.
 */
function show(element: HTMLElement, shown: boolean): void {
  element.hidden = !shown;
  element.style.display = shown ? '' : 'none';
}

function retire(frame: PageFrame): void {
  show(frame.element, false);
  setTimeout(() => frame.element.remove(), RETIRE_MS);
}
