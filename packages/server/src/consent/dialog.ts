import {
  ApiError,
  type DialogTemplate,
  Errors,
  type SubscribeDialog,
  type SubscribeStatus,
  tmplIdsProblem,
} from '@beckon/protocol';
import { getApp } from '../apps/service.js';
import type { Context } from '../context.js';
import type { AppRecord, GrantRecord, PrivateTemplateRecord } from '../store/port.js';
import { library } from '../templates/library.js';
import { findPrivateTemplate } from '../templates/service.js';

/** One requested template and how it is settled: asked in the dialog, or answered without asking. */
export interface DialogEntry {
  template: PrivateTemplateRecord;
  status: 'ask' | SubscribeStatus;
}

/** A checked `requestSubscribeMessage` call: the app, and each distinct requested id in request order. */
export interface Dialog {
  app: AppRecord;
  entries: DialogEntry[];
}

/** A template whose library title the platform has banned (spec §4.1 `ban`). */
export function isBanned(template: PrivateTemplateRecord): boolean {
  return library.title(template.tid)?.banned === true;
}

/**
 * Checks a `requestSubscribeMessage` call in this order: unknown app (404, default shape), then 10001
 * empty, 10004 not ids, 20003 too many ids (counted as passed, duplicates included), 20005 app banned,
 * 20004 main switch off, 20001 an id that is not one of the app's templates, 20002 one-time and long-term
 * mixed. The checks that need no lookup come first, as the WeChat client makes them before any request.
 *
 * Then settles each distinct id (a repeated id is the same template, answered once): a title already seen
 * is `filter`, a banned title `ban`, a remembered keep-choice its decision, anything else `ask`.
 */
export async function checkRequest(
  ctx: Context,
  appid: string,
  userId: string,
  rawTmplIds: unknown,
): Promise<Dialog> {
  const app = await getApp(ctx, appid);
  const problem = tmplIdsProblem(rawTmplIds, app.type);
  if (problem) throw new ApiError(problem);
  const requested = rawTmplIds as string[];
  if (app.subscribeBanned) throw new ApiError(Errors.APP_SUBSCRIBE_BANNED);
  if (!(await ctx.store.consent.mainSwitch(appid, userId))) throw new ApiError(Errors.MAIN_SWITCH_OFF);

  const ids = [...new Set(requested)];
  const templates: PrivateTemplateRecord[] = [];
  for (const id of ids) {
    const template = await findPrivateTemplate(ctx, appid, id);
    if (!template) throw new ApiError(Errors.NO_TEMPLATE_DATA);
    templates.push(template);
  }
  if (new Set(templates.map((t) => t.type)).size > 1) throw new ApiError(Errors.TEMPLATE_TYPES_MIXED);

  const grants = new Map<string, GrantRecord>(
    (await ctx.store.consent.grants(appid, userId, ids)).map((g) => [g.templateId, g]),
  );
  const titles = new Set<string>();
  const entries = templates.map((template): DialogEntry => {
    if (titles.has(template.title)) return { template, status: 'filter' };
    titles.add(template.title);
    if (isBanned(template)) return { template, status: 'ban' };
    const grant = grants.get(template.priTmplId);
    return { template, status: grant?.keepChoice ? grant.status : 'ask' };
  });
  return { app, entries };
}

/** What the shell shows: each template's title, type and keywords, and whether anything must be asked. */
export function toSubscribeDialog({ app, entries }: Dialog): SubscribeDialog {
  const templates = entries.map(
    ({ template, status }): DialogTemplate => ({
      templateId: template.priTmplId,
      title: template.title,
      type: template.type,
      keywords: template.keywords.map((k) => ({ name: k.name, example: k.example })),
      status,
    }),
  );
  return {
    appid: app.appid,
    appName: app.name,
    templates,
    silent: templates.every((t) => t.status !== 'ask'),
  };
}

/** `POST /api/apps/:appid/subscriptions/prepare`: the dialog for a request, before the user answers. */
export async function prepareSubscription(
  ctx: Context,
  appid: string,
  userId: string,
  rawTmplIds: unknown,
): Promise<SubscribeDialog> {
  return toSubscribeDialog(await checkRequest(ctx, appid, userId, rawTmplIds));
}
