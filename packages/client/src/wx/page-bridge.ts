import {
  BRIDGE_CHANNEL,
  type BridgeApi,
  type BridgeCall,
  type BridgeReady,
  type BridgeReply,
  isBridgeMessage,
  type LaunchOptions,
  type ShellToPage,
  WX_FAIL,
  wxFailMsg,
} from '@beckon/protocol';
import { readLaunch } from './launch.js';

/** The answer to one call: WeChat's success result, or its failure. */
export type Outcome = Pick<BridgeReply, 'ok' | 'result'>;

export interface PageBridgeEvents {
  show(launch: LaunchOptions): void;
  hide(): void;
}

/**
 * The page's end of the bridge: posts each call to the parent window (the shell) and matches the replies.
 * Only messages from the parent window, and from the shell's origin when it is known, are read: a page
 * framed by anything else gets no answers from it.
 */
export class PageBridge {
  private nextId = 1;
  private readonly pending = new Map<number, (outcome: Outcome) => void>();
  private readonly parent: Window | null;

  constructor(
    win: Window,
    /** The shell's origin, or '*' when it cannot be known (then any parent is answered). */
    private readonly shellOrigin: string,
    private readonly events: PageBridgeEvents,
  ) {
    this.parent = win.parent !== win ? win.parent : null;
    win.addEventListener('message', this.onMessage);
    // Ready once the page's own scripts ran (they add their onShow listeners), so the first show reaches them.
    const ready = () => {
      const message: BridgeReady = { channel: BRIDGE_CHANNEL, kind: 'ready' };
      this.parent?.postMessage(message, this.shellOrigin);
    };
    if (win.document.readyState === 'loading')
      win.document.addEventListener('DOMContentLoaded', ready, { once: true });
    else ready();
  }

  /** One call to the shell; never rejects (a failure is an Outcome too). */
  call(api: BridgeApi, args: Record<string, unknown>): Promise<Outcome> {
    if (!this.parent) return Promise.resolve(fail(api, WX_FAIL.NO_SHELL));
    const id = this.nextId++;
    const message: BridgeCall = { channel: BRIDGE_CHANNEL, kind: 'call', id, api, args };
    return new Promise((resolve) => {
      try {
        this.parent!.postMessage(message, this.shellOrigin);
      } catch (err) {
        // A value that cannot be cloned (a function deep in the arguments, a DOM node).
        resolve(fail(api, `parameter error: ${(err as Error).message}`));
        return;
      }
      this.pending.set(id, resolve);
    });
  }

  private readonly onMessage = (event: MessageEvent): void => {
    if (!this.parent || event.source !== this.parent) return;
    if (this.shellOrigin !== '*' && event.origin !== this.shellOrigin) return;
    const data = event.data as ShellToPage;
    if (!isBridgeMessage(data)) return;
    if (data.kind === 'reply') {
      const resolve = this.pending.get(data.id);
      if (!resolve) return;
      this.pending.delete(data.id);
      resolve({ ok: data.ok, result: data.result } as Outcome);
    } else if (data.kind === 'event') {
      if (data.event === 'hide') this.events.hide();
      else if (data.event === 'show') {
        const launch = readLaunch(data.data);
        if (launch) this.events.show(launch);
      }
    }
  };
}

const fail = (api: string, reason: string): Outcome => ({
  ok: false,
  result: { errMsg: wxFailMsg(api, reason) },
});
