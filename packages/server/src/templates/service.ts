import {
  ApiError,
  Errors,
  isNewOneTimeTid,
  KID_LIST_MAX,
  KID_LIST_MIN,
  keywordKey,
  MAX_PRIVATE_TEMPLATES,
  type PrivateTemplateView,
} from '@beckon/protocol';
import type { Context } from '../context.js';
import { randomString } from '../ids.js';
import type { AppRecord, PrivateTemplateRecord, TemplateKeyword } from '../store/port.js';
import { type LibraryLang, type LibraryTitle, library } from './library.js';
import {
  parseCategoryIds,
  parseKidList,
  parseLimit,
  parseSceneDesc,
  parseStart,
  parseTid,
} from './params.js';

/**
 * The templates module: the public library as the `/wxaapi/newtmpl/*` APIs show it, and the private
 * templates each app adds from it (spec §1.4). Parameters arrive raw; WeChat's per-parameter codes are
 * decided here, in WeChat's order.
 */

const PRI_TMPL_ID_LENGTH = 43;
const PRI_TMPL_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

const en = (lang: LibraryLang) => lang === 'en_US';

export function listCategories(lang: LibraryLang): { id: number; name: string }[] {
  return library.categories.map((c) => ({ id: c.id, name: en(lang) ? c.nameEn : c.name }));
}

export interface TitleQuery {
  ids?: unknown;
  start?: unknown;
  limit?: unknown;
}

/** A page of the titles in the given categories; `count` is all of them. Checks ids, then start, then limit. */
export function listPublicTitles(query: TitleQuery, lang: LibraryLang) {
  const ids = parseCategoryIds(query.ids, (id) => library.hasCategory(id));
  const start = parseStart(query.start);
  const limit = parseLimit(query.limit);
  const titles = library.titlesIn(ids);
  return {
    count: titles.length,
    data: titles.slice(start, start + limit).map((t) => ({
      tid: t.tid,
      title: en(lang) ? t.titleEn : t.title,
      type: t.type,
      // A string on the wire although documented as a number (spec §1.4).
      categoryId: String(t.categoryId),
    })),
  };
}

function libraryTitle(rawTid: unknown): LibraryTitle {
  const title = library.title(parseTid(rawTid));
  if (!title) throw new ApiError(Errors.TID_INVALID);
  return title;
}

/** The keyword pool of a title (200014 when the tid is missing or unknown). */
export function listPublicKeywords(rawTid: unknown, lang: LibraryLang) {
  const title = libraryTitle(rawTid);
  return {
    count: title.keywords.length,
    data: title.keywords.map((k) => ({
      kid: k.kid,
      name: en(lang) ? k.nameEn : k.name,
      example: en(lang) ? k.exampleEn : k.example,
      rule: k.rule,
    })),
  };
}

export interface AddTemplateInput {
  tid?: unknown;
  kidList?: unknown;
  sceneDesc?: unknown;
}

/**
 * The keywords `kidList` picks from the title, in `kidList` order: 2 to 5 distinct kids of the title, or
 * none at all for a "new one-time" title, which then takes its whole pool (200020 otherwise).
 */
function pickKeywords(title: LibraryTitle, rawKidList: unknown): TemplateKeyword[] {
  const kids = parseKidList(rawKidList);
  const invalid = () => new ApiError(Errors.KIDLIST_INVALID);
  let chosen = title.keywords;
  if (isNewOneTimeTid(title.tid)) {
    if (kids === null || (kids && kids.length > 0)) throw invalid();
  } else {
    if (!kids || kids.length < KID_LIST_MIN || kids.length > KID_LIST_MAX) throw invalid();
    if (new Set(kids).size !== kids.length) throw invalid();
    chosen = kids.map((kid) => {
      const keyword = title.keywords.find((k) => k.kid === kid);
      if (!keyword) throw invalid();
      return keyword;
    });
  }
  // Addtemplate keeps WeChat's Chinese texts: they are what the send API and the user's card show.
  return chosen.map((k) => ({
    kid: k.kid,
    key: keywordKey(k.rule, k.kid),
    name: k.name,
    rule: k.rule,
    example: k.example,
    ...(k.enumValues ? { enumValues: [...k.enumValues] } : {}),
  }));
}

/** `addtemplate`: checks 200011, 200014, 200013, 200020, 200021, then the 25-template cap (200012). */
export async function addTemplate(ctx: Context, app: AppRecord, input: AddTemplateInput): Promise<string> {
  if (app.subscribeBanned) throw new ApiError(Errors.TEMPLATE_ACCOUNT_BANNED);
  const title = libraryTitle(input.tid);
  if (title.banned) throw new ApiError(Errors.TEMPLATE_BANNED);
  const keywords = pickKeywords(title, input.kidList);
  const sceneDesc = parseSceneDesc(input.sceneDesc);
  const record: PrivateTemplateRecord = {
    priTmplId: randomString(PRI_TMPL_ID_LENGTH, PRI_TMPL_ID_ALPHABET),
    appid: app.appid,
    tid: title.tid,
    title: title.title,
    type: title.type,
    sceneDesc,
    keywords,
    createdAt: ctx.clock.now(),
  };
  if (!(await ctx.store.templates.add(record, MAX_PRIVATE_TEMPLATES))) {
    throw new ApiError(Errors.TEMPLATE_LIMIT);
  }
  return record.priTmplId;
}

/** A private template as `gettemplate` shows it: one `label:{{key.DATA}}` line per keyword. */
export function toTemplateView(t: PrivateTemplateRecord): PrivateTemplateView {
  const enums = t.keywords.filter((k) => k.enumValues);
  return {
    priTmplId: t.priTmplId,
    title: t.title,
    content: t.keywords.map((k) => `${k.name}:{{${k.key}.DATA}}\n`).join(''),
    example: t.keywords.map((k) => `${k.name}:${k.example}\n`).join(''),
    type: t.type,
    ...(enums.length > 0
      ? { keywordEnumValueList: enums.map((k) => ({ keywordCode: k.key, enumValueList: k.enumValues! })) }
      : {}),
  };
}

/** The app's private templates, oldest first. */
export async function listTemplates(ctx: Context, appid: string): Promise<PrivateTemplateView[]> {
  return (await ctx.store.templates.list(appid)).map(toTemplateView);
}

/** `deltemplate`: an id the app does not hold (unknown, or another app's) is 40037 invalid template_id. */
export async function deleteTemplate(ctx: Context, appid: string, rawPriTmplId: unknown): Promise<void> {
  const removed =
    typeof rawPriTmplId === 'string' &&
    rawPriTmplId !== '' &&
    (await ctx.store.templates.remove(appid, rawPriTmplId));
  if (!removed) throw new ApiError(Errors.INVALID_TEMPLATE_ID);
}

/** The app's private template, or `undefined` (e.g. for a consent request naming an unknown id). */
export function findPrivateTemplate(
  ctx: Context,
  appid: string,
  priTmplId: string,
): Promise<PrivateTemplateRecord | undefined> {
  return ctx.store.templates.get(appid, priTmplId);
}

/** The app's private template, for the send pipeline: 40037 invalid template_id when the app has none. */
export async function getPrivateTemplate(
  ctx: Context,
  appid: string,
  priTmplId: string,
): Promise<PrivateTemplateRecord> {
  const template = await ctx.store.templates.get(appid, priTmplId);
  if (!template) throw new ApiError(Errors.INVALID_TEMPLATE_ID);
  return template;
}
