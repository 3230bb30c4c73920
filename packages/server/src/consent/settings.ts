import {
  ApiError,
  type Decision,
  Errors,
  type ItemSetting,
  isSysMsgType,
  type SettingChange,
  type SettingResult,
  type SysMsgType,
} from '@beckon/protocol';
import { getApp } from '../apps/service.js';
import type { Context } from '../context.js';
import { setSystemType, systemItemSettings } from '../games/system-settings.js';
import type { ConsentChange, GrantRecord, PrivateTemplateRecord } from '../store/port.js';
import { findPrivateTemplate } from '../templates/service.js';
import { isBanned } from './dialog.js';

/**
 * `GET /api/apps/:appid/settings`, as `wx.getSetting({withSubscriptions: true})` resolves (spec §4.3):
 * `itemSettings` lists only the templates whose choice is remembered, and is left out when there are
 * none. A remembered template whose library title is banned shows `ban`; one the app has deleted is gone.
 * A mini game's system message types the user answered are listed too (games/system-settings.ts).
 */
export async function getSettings(ctx: Context, appid: string, userId: string): Promise<SettingResult> {
  const app = await getApp(ctx, appid);
  const mainSwitch = await ctx.store.consent.mainSwitch(appid, userId);
  const itemSettings: Record<string, ItemSetting> = { ...(await systemItemSettings(ctx, app, userId)) };
  for (const grant of await ctx.store.consent.grants(appid, userId)) {
    if (!grant.keepChoice) continue;
    const template = await findPrivateTemplate(ctx, appid, grant.templateId);
    if (!template) continue;
    itemSettings[grant.templateId] = isBanned(template) ? 'ban' : grant.status;
  }
  return {
    errMsg: 'getSetting:ok',
    subscriptionsSetting:
      Object.keys(itemSettings).length > 0 ? { mainSwitch, itemSettings } : { mainSwitch },
  };
}

/** Whether setting `status` from the settings page would change nothing (so nothing is logged). */
function unchanged(grant: GrantRecord | undefined, status: Decision): boolean {
  if (!grant?.keepChoice || grant.status !== status) return false;
  return status === 'accept' || (grant.remaining === 0 && !grant.active);
}

/**
 * `PUT /api/apps/:appid/settings`: the app's settings page (spec §4.4, §6.1). Every id of `itemSettings`
 * must be one of the app's templates, or for a mini game one of the system message types (20001, checked
 * before anything is written). Switching a template off zeroes its grants; switching it on restores
 * nothing (a new subscription is needed); either way the choice is remembered. A system type is switched
 * on or off as it says. Then the main switch: off zeroes every grant of the app (and stops system messages
 * while it is off). A setting that is already so is not logged again.
 */
export async function changeSettings(
  ctx: Context,
  appid: string,
  userId: string,
  change: SettingChange,
): Promise<SettingResult> {
  const app = await getApp(ctx, appid);
  const items: [PrivateTemplateRecord, Decision][] = [];
  const systemTypes: [SysMsgType, Decision][] = [];
  for (const [id, status] of Object.entries(change.itemSettings ?? {})) {
    if (app.type === 'minigame' && isSysMsgType(id)) {
      systemTypes.push([id, status]);
      continue;
    }
    const template = await findPrivateTemplate(ctx, appid, id);
    if (!template) throw new ApiError(Errors.NO_TEMPLATE_DATA);
    items.push([template, status]);
  }
  const grants = new Map(
    (
      await ctx.store.consent.grants(
        appid,
        userId,
        items.map(([t]) => t.priTmplId),
      )
    ).map((g) => [g.templateId, g]),
  );
  const now = ctx.clock.now();
  for (const [template, status] of items) {
    if (unchanged(grants.get(template.priTmplId), status)) continue;
    await ctx.store.consent.setTemplate(
      appid,
      userId,
      template.priTmplId,
      template.type,
      status,
      'settings',
      now,
    );
  }
  for (const [msgType, status] of systemTypes) await setSystemType(ctx, appid, userId, msgType, status);
  if (change.mainSwitch !== undefined) {
    await ctx.store.consent.setMainSwitch(appid, userId, change.mainSwitch, now);
  }
  return getSettings(ctx, appid, userId);
}

export interface StopTemplate {
  appid: string;
  userId: string;
  templateId: string;
}

/**
 * A card's "stop receiving this template" (spec §5.3, §6.1): the template is rejected and remembered, its
 * grants zeroed (source `card`). A template the app has since deleted is still stopped, by the type its
 * grant recorded; 40037 when the user has neither template nor grant.
 */
export async function stopTemplate(ctx: Context, target: StopTemplate): Promise<ConsentChange> {
  const { appid, userId, templateId } = target;
  let type = (await findPrivateTemplate(ctx, appid, templateId))?.type;
  if (type === undefined) {
    type = (await ctx.store.consent.grants(appid, userId, [templateId]))[0]?.templateType;
  }
  if (type === undefined) throw new ApiError(Errors.INVALID_TEMPLATE_ID);
  return ctx.store.consent.setTemplate(appid, userId, templateId, type, 'reject', 'card', ctx.clock.now());
}

/** The user's grants in the app (tests, diagnostics). */
export function grantsOf(ctx: Context, appid: string, userId: string): Promise<GrantRecord[]> {
  return ctx.store.consent.grants(appid, userId);
}
