import { isSysMsgType, type KeptTemplate, type SettingsPage } from '@beckon/protocol';
import { getApp } from '../apps/service.js';
import type { Context } from '../context.js';
import { findPrivateTemplate } from '../templates/service.js';
import { getSettings } from './settings.js';

/**
 * `GET /api/apps/:appid/settings/page`: the phone's settings page. Built on getSettings, so it lists
 * exactly what `wx.getSetting` does, with titles (a person chooses by a template's name, never its id),
 * the templates by title.
 */
export async function settingsPage(ctx: Context, appid: string, userId: string): Promise<SettingsPage> {
  const app = await getApp(ctx, appid);
  const { mainSwitch, itemSettings = {} } = (await getSettings(ctx, appid, userId)).subscriptionsSetting;
  const templates: KeptTemplate[] = [];
  const systemTypes: SettingsPage['systemTypes'] = [];
  for (const [id, setting] of Object.entries(itemSettings)) {
    if (isSysMsgType(id)) {
      systemTypes.push({ msgType: id, setting });
      continue;
    }
    const template = await findPrivateTemplate(ctx, appid, id);
    if (template) templates.push({ templateId: id, title: template.title, type: template.type, setting });
  }
  templates.sort((a, b) => a.title.localeCompare(b.title) || a.templateId.localeCompare(b.templateId));
  return { appid, appName: app.name, mainSwitch, templates, systemTypes };
}
