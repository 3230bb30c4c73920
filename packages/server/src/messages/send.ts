import {
  ApiError,
  DEFAULT_DAILY_SEND_CAP,
  Errors,
  firstInvalidKeyword,
  type Lang,
  type MiniprogramState,
} from '@beckon/protocol';
import { normalisePage } from '../apps/service.js';
import { chinaDay } from '../clock.js';
import type { Context } from '../context.js';
import { pushToUser } from '../gateway/push.js';
import type { AppRecord, MessageRecord, PrivateTemplateRecord } from '../store/port.js';
import { library } from '../templates/library.js';
import { findPrivateTemplate } from '../templates/service.js';
import { cardRows, toInboxCard } from './card.js';
import { contentPolicy } from './content-policy.js';
import { nextMsgid } from './msgid.js';

/**
 * The send body after the route's schema: the fields have their JSON types (or are missing / null), and
 * `miniprogram_state` / `lang` are one of their values (or empty). Everything else is decided here, in
 * WeChat's order, so that each problem gets its own code.
 */
export interface SendInput {
  touser?: string | null;
  template_id?: string | null;
  page?: string | null;
  data?: unknown;
  miniprogram_state?: MiniprogramState | '' | null;
  lang?: Lang | '' | null;
}

/** How long one send may hold its openid's lock; a crashed node's lock frees itself after this. */
export const SEND_LOCK_TTL_MS = 10_000;
const MAX_PAGE_LENGTH = 1024;
/** Fresh msgids to try when one collides with a stored message (another node, same millisecond and node id). */
export const MSGID_ATTEMPTS = 5;

export const sendLockKey = (appid: string, openid: string) => `send:${appid}:${openid}`;

export interface SendOptions {
  /** Where a failed push is reported (the send itself has succeeded by then). */
  log?: { warn(obj: object, msg: string): void };
}

type Data = Record<string, { value: unknown }>;

/**
 * `POST /cgi-bin/message/subscribe/send` (spec §1.3, §3.1; DESIGN "Send"), after the access token named the
 * app. Checks, each failing with its own code: the template is the app's (40037), the openid is one of the
 * app's users (40003), the page is one the app declared (41030), the data passes the template's keyword
 * rules (47003, naming the key), the content policy (45168), the app and template are not banned (43107),
 * no other send to the openid is in flight (43108); then one transaction checks the daily cap (45009),
 * spends a grant (43101) and stores the message. A failed send writes nothing and spends nothing. The card
 * is then pushed to the user's sessions; losing the push loses nothing (the inbox reads the store).
 */
export async function sendMessage(
  ctx: Context,
  app: AppRecord,
  input: SendInput,
  options: SendOptions = {},
): Promise<MessageRecord> {
  const template = input.template_id
    ? await findPrivateTemplate(ctx, app.appid, input.template_id)
    : undefined;
  if (!template) throw new ApiError(Errors.INVALID_TEMPLATE_ID);

  const appUser = input.touser
    ? await ctx.store.accounts.getAppUserByOpenid(app.appid, input.touser)
    : undefined;
  if (!appUser) throw new ApiError(Errors.INVALID_OPENID);

  const page = checkPage(app, input.page);
  const data = checkData(template, input.data);
  const rows = cardRows(template, data);
  const policy = contentPolicy(ctx);
  if (rows.some((r) => policy.violation(r.value))) throw new ApiError(Errors.SENSITIVE_CONTENT);
  if (app.subscribeBanned || library.title(template.tid)?.banned) throw new ApiError(Errors.SUBSCRIBE_BANNED);

  const lockKey = sendLockKey(app.appid, appUser.openid);
  const owner = await ctx.bus.lock(lockKey, SEND_LOCK_TTL_MS);
  if (owner === null) throw new ApiError(Errors.CONCURRENT_SEND);
  let record: MessageRecord;
  try {
    const now = ctx.clock.now();
    record = await deliver(ctx, app, {
      msgid: 0n,
      appid: app.appid,
      userId: appUser.userId,
      openid: appUser.openid,
      templateId: template.priTmplId,
      appName: app.name,
      title: template.title,
      rows,
      page,
      lang: input.lang || 'zh_CN',
      miniprogramState: input.miniprogram_state || 'formal',
      createdAt: now,
      readAt: null,
    });
  } finally {
    // The lock frees itself after its TTL anyway: a bus hiccup here must not turn a stored send into an error.
    await ctx.bus
      .unlock(lockKey, owner)
      .catch((err: unknown) => options.log?.warn({ err }, 'send unlock failed'));
  }

  pushToUser(ctx, record.userId, { type: 'inbox.card', card: toInboxCard(record) }).catch((err: unknown) =>
    options.log?.warn({ err, msgid: record.msgid.toString() }, 'inbox card push failed'),
  );
  return record;
}

/** The daily cap, the grant and the insert, in the store's one transaction; retried on a msgid collision. */
async function deliver(ctx: Context, app: AppRecord, message: MessageRecord): Promise<MessageRecord> {
  const day = chinaDay(message.createdAt);
  const cap = app.dailySendCap ?? DEFAULT_DAILY_SEND_CAP;
  for (let attempt = 0; attempt < MSGID_ATTEMPTS; attempt++) {
    const record = { ...message, msgid: nextMsgid() };
    switch (await ctx.store.messages.deliver(record, day, cap)) {
      case 'delivered':
        return record;
      case 'no-grant':
        throw new ApiError(Errors.USER_REFUSED);
      case 'daily-cap':
        throw new ApiError(Errors.DAILY_QUOTA);
      case 'duplicate-msgid':
        continue;
    }
  }
  throw ApiError.because(Errors.SYSTEM_ERROR, `no unique msgid`);
}

/**
 * The card's page, or null for none (omitted or empty). When the app declared its pages, the path (without
 * leading slash and query) must be one of them; a query is allowed (`index?foo=bar`).
 */
function checkPage(app: AppRecord, page: string | null | undefined): string | null {
  if (!page) return null;
  if (page.length > MAX_PAGE_LENGTH) throw new ApiError(Errors.INVALID_PAGE);
  if (app.pages.length > 0 && !app.pages.includes(normalisePage(page)))
    throw new ApiError(Errors.INVALID_PAGE);
  return page;
}

/**
 * Every keyword of the template, in the template's order, must carry a valid `value`: the first that does
 * not is 47003 `argument invalid! data.<key>.value is empty|invalid`. A `data` that is missing or not an
 * object is empty at its first key. Keys the template does not have are ignored, as WeChat does.
 */
function checkData(template: PrivateTemplateRecord, raw: unknown): Data {
  const bad = firstInvalidKeyword(template.keywords, raw);
  if (bad) throw ApiError.argumentInvalid(bad.key, bad.problem);
  // Every keyword passed, so each is an object with a value; only the template's keys are kept.
  const data = raw as Record<string, { value: unknown }>;
  return Object.fromEntries(template.keywords.map((k) => [k.key, { value: data[k.key]!.value }]));
}
