import { TAP_WINDOW_MS } from '@beckon/protocol';

/**
 * The tap rule (requestSubscribeMessage, requestSubscribeSystemMessage, openSetting): a call counts as made
 * in a user's tap in the frame when
 * - the shell's window has transient user activation (`navigator.userActivation.isActive`: Chromium gives a
 *   tap inside a child frame to its ancestors too, for 5 s),
 * - the calling frame is the shell's `document.activeElement`, and
 * - it took the focus (the shell window's `blur`) after the shell's own last trusted pointerdown or keydown:
 *   a tap on the shell, such as the one that opened the app, does not count for the page.
 * Or, within TAP_WINDOW_MS, after a tap on a button of a modal or action sheet the shell drew for the app.
 *
 * Each tap counts for one call: taking it moves the focus back to the shell, so the next call needs the
 * next tap in the frame. Known limit: a page that focuses itself from script within 5 s of a tap on the shell
 * passes (the user still has to press Allow); so must never the embedding app focus a frame from script.
 */
export class TapGate {
  private lastShellGesture = Number.NEGATIVE_INFINITY;
  private frameFocusedAt = Number.NEGATIVE_INFINITY;
  /** appid → when the user answered a modal or action sheet of that app. */
  private readonly dialogTaps = new Map<string, number>();
  private readonly sink: HTMLElement;

  constructor(
    private readonly win: Window,
    host: HTMLElement,
  ) {
    win.addEventListener('pointerdown', this.onShellGesture, true);
    win.addEventListener('keydown', this.onShellGesture, true);
    win.addEventListener('blur', this.onBlur);
    // Where the focus goes when a tap is taken: not a control of the phone, and not reachable by Tab.
    this.sink = win.document.createElement('span');
    this.sink.tabIndex = -1;
    this.sink.dataset.beckonFocusSink = '';
    this.sink.style.cssText = 'position:absolute;width:0;height:0;overflow:hidden;outline:none;';
    host.append(this.sink);
  }

  /** Whether a call from `frame` of `appid` is made in a tap; if so, the tap is used up. */
  take(appid: string, frame: HTMLIFrameElement): boolean {
    const now = this.win.performance.now();
    const dialogTap = this.dialogTaps.get(appid);
    const afterDialog = dialogTap !== undefined && now - dialogTap <= TAP_WINDOW_MS && this.active();
    const inFrame =
      this.active() &&
      this.win.document.activeElement === frame &&
      this.frameFocusedAt > this.lastShellGesture;
    if (!afterDialog && !inFrame) return false;
    // Used up, whichever it was: the dialog's tap, and the frame's focus (moved back to the shell, so the
    // next call needs the next tap in the frame).
    this.dialogTaps.delete(appid);
    this.frameFocusedAt = Number.NEGATIVE_INFINITY;
    this.sink.focus({ preventScroll: true });
    return true;
  }

  /** The user answered a modal or action sheet of `appid` (the phone's button handler is running). */
  dialogAnswered(appid: string): void {
    if (this.active()) this.dialogTaps.set(appid, this.win.performance.now());
  }

  destroy(): void {
    this.win.removeEventListener('pointerdown', this.onShellGesture, true);
    this.win.removeEventListener('keydown', this.onShellGesture, true);
    this.win.removeEventListener('blur', this.onBlur);
    this.sink.remove();
  }

  private active(): boolean {
    return this.win.navigator.userActivation?.isActive === true;
  }

  private readonly onShellGesture = (event: Event): void => {
    if (event.isTrusted) this.lastShellGesture = this.win.performance.now();
  };

  private readonly onBlur = (): void => {
    this.frameFocusedAt = this.win.performance.now();
  };
}
