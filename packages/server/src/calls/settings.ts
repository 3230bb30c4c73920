import type { CallSettingsView } from '@beckon/protocol';
import { getApp } from '../apps/service.js';
import type { Context } from '../context.js';

/** The app's calling options (404 91003 for an unknown app). */
export async function getCallSettings(ctx: Context, appid: string): Promise<CallSettingsView> {
  await getApp(ctx, appid);
  return { appid, ...(await ctx.store.calls.settings(appid)) };
}

/**
 * Turns multi-device on or off. The option is read at each login (presence.ts): turning it off kicks no one
 * already logged in; the user's next login kicks their earlier sessions.
 */
export async function setCallSettings(
  ctx: Context,
  appid: string,
  input: { multiDevice: boolean },
): Promise<CallSettingsView> {
  await getApp(ctx, appid);
  await ctx.store.calls.saveSettings(appid, { multiDevice: input.multiDevice });
  return getCallSettings(ctx, appid);
}
