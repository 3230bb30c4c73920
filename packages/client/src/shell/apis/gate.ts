import { WX_FAIL } from '@beckon/protocol';
import type { Call } from './call.js';
import { failure, type WxFailure } from './fail.js';

/**
 * What every call that raises a dialog passes, in this order: the app is in front (else `notInFront`), no
 * other such request is in progress ("last call has not ended"), and, for the tap-only APIs, the call was
 * made in a tap in its frame. Claims the dialog slot: the caller releases it when done.
 */
export function enter(call: Call, options: { notInFront: WxFailure; tapOnly: boolean }): void {
  const { api, app, frame, shell } = call;
  if (!shell.inFront(app)) throw options.notInFront;
  if (!shell.claim(app)) throw failure(api, WX_FAIL.LAST_CALL_NOT_ENDED);
  if (options.tapOnly && !shell.tapped(app, frame)) {
    shell.release(app);
    throw failure(api, WX_FAIL.TAP_GESTURE);
  }
}
