import type { BridgeApi } from '@beckon/protocol';
import { LocalEventChannel } from './event-channel.js';
import { launchFromLocation, toLaunchOptionsApp } from './launch.js';
import { Listeners } from './listeners.js';
import { type Outcome, PageBridge } from './page-bridge.js';
import { argsOf, respond } from './respond.js';
import type { LaunchOptionsApp, TouchEndResult, Wx } from './types.js';

export interface WxOptions {
  /**
   * The shell's (the phone's) origin: calls are posted to it only, and answers from any other origin are
   * ignored. By default the parent's origin as the browser reports it (`location.ancestorOrigins`, Chromium
   * and Safari); where it cannot, calls go to whatever parent frames the page, and only answers from that
   * parent window are read.
   */
  shellOrigin?: string;
  /** The page's window; the global one by default. */
  window?: Window;
}

/** The parent's origin as the browser reports it (Chromium, Safari), or undefined (Firefox, no parent). */
export function parentOrigin(win: Window): string | undefined {
  const ancestors = win.location.ancestorOrigins;
  return ancestors && ancestors.length > 0 ? ancestors[0] : undefined;
}

function touchesOf(event: PointerEvent) {
  return {
    identifier: event.pointerId,
    clientX: event.clientX,
    clientY: event.clientY,
    pageX: event.pageX,
    pageY: event.pageY,
    force: event.pressure,
  };
}

/**
 * The `wx` object of a mini program's page, talking to the shell that framed it. Creating it adds a message
 * listener to the window and tells the shell the page is ready (the shell then sends `onShow`).
 *
 * @example
 * import { createWx } from '@beckon/client/wx';
 * const wx = createWx();
 * const { code } = await wx.login();              // for the app's backend: GET /sns/jscode2session
 * button.onclick = () => wx.requestSubscribeMessage({
 *   tmplIds: [TEMPLATE_ID],
 *   success: (res) => console.log(res[TEMPLATE_ID]), // 'accept' | 'reject' | 'ban' | 'filter'
 *   fail: (err) => console.log(err.errCode, err.errMsg),
 * });
 */
export function createWx(options: WxOptions = {}): Wx {
  const win = options.window ?? window;
  const launch = launchFromLocation(win.location);
  const show = new Listeners<LaunchOptionsApp>();
  const touchEnd = new Listeners<TouchEndResult>(() =>
    // Pointer events cover touch, pen and mouse: a game on a desktop phone frame gets its taps too.
    win.addEventListener(
      'pointerup',
      (event) => {
        const touch = touchesOf(event);
        touchEnd.emit({ touches: [], changedTouches: [touch], timeStamp: event.timeStamp });
      },
      true,
    ),
  );
  const bridge = new PageBridge(win, options.shellOrigin ?? parentOrigin(win) ?? '*', {
    show: (options) => show.emit(toLaunchOptionsApp(options)),
    hide: () => {},
  });

  const forward =
    (api: BridgeApi, adapt: (outcome: Outcome) => Outcome = (o) => o) =>
    (option?: unknown) =>
      respond(option, bridge.call(api, argsOf(option)).then(adapt));

  const wx = {
    login: forward('login'),
    requestSubscribeMessage: forward('requestSubscribeMessage'),
    getSetting: forward('getSetting'),
    openSetting: forward('openSetting'),
    getLaunchOptionsSync: () => toLaunchOptionsApp(launch),
    onShow: (listener: unknown) => show.add(listener),
    offShow: (listener?: unknown) => show.remove(listener),
    onAppShow: (listener: unknown) => show.add(listener),
    offAppShow: (listener?: unknown) => show.remove(listener),
    navigateTo: forward('navigateTo', (outcome) =>
      outcome.ok
        ? { ok: true, result: { ...outcome.result, eventChannel: new LocalEventChannel() } }
        : outcome,
    ),
    redirectTo: forward('redirectTo'),
    navigateBack: forward('navigateBack'),
    showModal: forward('showModal'),
    showActionSheet: forward('showActionSheet'),
    onTouchEnd: (listener: unknown) => touchEnd.add(listener),
    offTouchEnd: (listener?: unknown) => touchEnd.remove(listener),
    requestSubscribeSystemMessage: forward('requestSubscribeSystemMessage'),
    modifyFriendInteractiveStorage: forward('modifyFriendInteractiveStorage'),
    setUserCloudStorage: forward('setUserCloudStorage'),
    getFriendCloudStorage: forward('getFriendCloudStorage'),
  };
  // The members are generic in WeChat's way (PromisifySuccessResult), which a plain function cannot spell.
  return wx as unknown as Wx;
}
