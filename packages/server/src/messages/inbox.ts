import { ApiError, Errors, INBOX_PAGE_MAX, type InboxPage, isSysMsgType } from '@beckon/protocol';
import { stopTemplate } from '../consent/settings.js';
import type { Context } from '../context.js';
import { setSystemType } from '../games/system-settings.js';
import { pushToUser } from '../gateway/push.js';
import { toInboxCard } from './card.js';

/**
 * The Service Notifications inbox (spec §6.4): one thread per user, every app's cards newest first. The
 * user reads and stops only their own cards; someone else's msgid is as unknown as one that never was.
 */

export const INBOX_PAGE_DEFAULT = 20;

/** msgids are positive 64-bit SQLite integers: anything above this cannot name a message. */
const MSGID_MAX = 2n ** 63n - 1n;

/** A msgid given as a decimal string, or undefined when the text cannot name one. */
export function parseMsgid(text: string): bigint | undefined {
  if (!/^[0-9]{1,19}$/.test(text)) return undefined;
  const msgid = BigInt(text);
  return msgid > 0n && msgid <= MSGID_MAX ? msgid : undefined;
}

export interface PageQuery {
  /** The last msgid of the previous page, as the client got it. */
  cursor?: string;
  limit?: string;
}

function pageLimit(text: string | undefined): number {
  if (text === undefined) return INBOX_PAGE_DEFAULT;
  const limit = /^[0-9]{1,3}$/.test(text) ? Number(text) : 0;
  if (limit < 1 || limit > INBOX_PAGE_MAX) {
    throw ApiError.invalidRequest(`limit must be 1..${INBOX_PAGE_MAX}`);
  }
  return limit;
}

/** One page of the user's cards; a bad cursor (not one of the user's cards) or limit is 91000. */
export async function inboxPage(ctx: Context, userId: string, query: PageQuery): Promise<InboxPage> {
  const limit = pageLimit(query.limit);
  let before: bigint | undefined;
  if (query.cursor !== undefined) {
    before = parseMsgid(query.cursor);
    if (before === undefined) throw ApiError.invalidRequest('bad cursor');
  }
  // One more than asked tells whether another page follows without a second query.
  const records = await ctx.store.messages.inbox(userId, limit + 1, before);
  // A cursor names one of the user's cards (the previous page's last); any other msgid is refused.
  if (!records) throw ApiError.invalidRequest('bad cursor');
  const cards = records.slice(0, limit).map(toInboxCard);
  return { cards, nextCursor: records.length > limit ? (cards[cards.length - 1]?.msgid ?? null) : null };
}

export function unreadCount(ctx: Context, userId: string): Promise<number> {
  return ctx.store.messages.unreadCount(userId);
}

/** Tells the user's open sessions (the other tabs' badges) the new count. Lossy, like every push. */
async function announceUnread(ctx: Context, userId: string): Promise<number> {
  const unread = await unreadCount(ctx, userId);
  await pushToUser(ctx, userId, { type: 'inbox.unread', unread });
  return unread;
}

/** Marks one card read (reading it twice keeps the first time); 91001 when the user has no such card. */
export async function markRead(ctx: Context, userId: string, msgidText: string): Promise<number> {
  const msgid = parseMsgid(msgidText);
  if (msgid === undefined || !(await ctx.store.messages.markRead(userId, msgid, ctx.clock.now()))) {
    throw new ApiError(Errors.NOT_FOUND);
  }
  return announceUnread(ctx, userId);
}

export async function markAllRead(ctx: Context, userId: string): Promise<number> {
  await ctx.store.messages.markAllRead(userId, ctx.clock.now());
  return announceUnread(ctx, userId);
}

/**
 * A card's "stop receiving this template": the consent ledger rejects the card's template for this user
 * and app and zeroes its grants (source `card`). On a mini game's system card it switches that system
 * message type off for the user (kept, as from the settings page). The card itself stays in the inbox.
 */
export async function stopFromCard(ctx: Context, userId: string, msgidText: string): Promise<string> {
  const msgid = parseMsgid(msgidText);
  const message = msgid === undefined ? undefined : await ctx.store.messages.get(userId, msgid);
  if (!message) throw new ApiError(Errors.NOT_FOUND);
  if (isSysMsgType(message.templateId)) {
    await setSystemType(ctx, message.appid, userId, message.templateId, 'reject');
    return message.templateId;
  }
  await stopTemplate(ctx, { appid: message.appid, userId, templateId: message.templateId });
  return message.templateId;
}
