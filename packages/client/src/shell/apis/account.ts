import { wxOk } from '@beckon/protocol';
import type { Call, WxResult } from './call.js';
import { fromPlatform } from './fail.js';

/** `wx.login`: a code the app's backend trades for the user's openid (`/sns/jscode2session`). */
export async function login({ api, http }: Call): Promise<WxResult> {
  try {
    const { code } = await http.login();
    return { errMsg: wxOk(api), code };
  } catch (err) {
    throw fromPlatform(api, err);
  }
}
