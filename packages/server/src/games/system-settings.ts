import type { ItemSetting, SysMsgType, SystemStatus } from '@beckon/protocol';
import type { Context } from '../context.js';
import type { AppRecord } from '../store/port.js';

/**
 * A mini game's system message types in `wx.getSetting({withSubscriptions})` `itemSettings` (spec §4.3: the
 * official example lists them beside template ids): every type the user answered, accepted or rejected.
 * None for a mini program.
 */
export async function systemItemSettings(
  ctx: Context,
  app: AppRecord,
  userId: string,
): Promise<Partial<Record<SysMsgType, ItemSetting>>> {
  if (app.type !== 'minigame') return {};
  const items: Partial<Record<SysMsgType, ItemSetting>> = {};
  for (const sub of await ctx.store.games.systemSubscriptions(app.appid, userId))
    items[sub.msgType] = sub.status;
  return items;
}

/**
 * The settings page switches a system type on or off (also one the user never answered). Either way the
 * choice is kept: a type switched off is answered `reject` without asking until switched on here again.
 */
export async function setSystemType(
  ctx: Context,
  appid: string,
  userId: string,
  msgType: SysMsgType,
  status: SystemStatus,
): Promise<void> {
  await ctx.store.games.setSystemType(appid, userId, msgType, status, ctx.clock.now());
}
