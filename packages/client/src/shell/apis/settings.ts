import { WX_FAIL, wxOk } from '@beckon/protocol';
import type { Call, WxResult } from './call.js';
import { failure, fromPlatform } from './fail.js';
import { enter } from './gate.js';

/** The user's settings for the app, as getSetting and openSetting answer them (Beckon asks for no scopes). */
async function readSettings(call: Call): Promise<WxResult> {
  try {
    const { subscriptionsSetting } = await call.http.settings();
    return { errMsg: wxOk(call.api), authSetting: {}, subscriptionsSetting };
  } catch (err) {
    throw fromPlatform(call.api, err);
  }
}

/**
 * `wx.getSetting`: `subscriptionsSetting` (`mainSwitch`, `itemSettings` holding only kept choices) is always
 * given, as WeChat's typings declare it (WeChat itself gives it for `withSubscriptions: true`).
 */
export const getSetting = readSettings;

/** `wx.openSetting` (tap only, spec §4.4): the app's settings page in the phone, then the settings. */
export async function openSetting(call: Call): Promise<WxResult> {
  enter(call, { notInFront: failure(call.api, WX_FAIL.NOT_IN_FRONT), tapOnly: true });
  try {
    await call.shell.dialog(call.app, 'settings', { app: call.app.app });
  } finally {
    call.shell.release(call.app);
  }
  return readSettings(call);
}
