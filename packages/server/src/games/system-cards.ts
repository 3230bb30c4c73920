import { SYS_MSG_CARDS, type SysMsgType } from '@beckon/protocol';
import { openidFor } from '../accounts/openids.js';
import { chinaDay } from '../clock.js';
import type { Context } from '../context.js';
import { pushToUser } from '../gateway/push.js';
import { toInboxCard } from '../messages/card.js';
import { nextMsgid } from '../messages/msgid.js';
import { MSGID_ATTEMPTS } from '../messages/send.js';
import type { AppRecord, MessageRecord, SystemCardDelivery, SystemDeliverResult } from '../store/port.js';

/** One system card to send: the game, the recipient, the type, and one value per row of the type's card. */
export interface SystemCardRequest {
  app: AppRecord;
  userId: string;
  msgType: SysMsgType;
  values: string[];
  /** At most one card of this type from this game to the user per China day. */
  oncePerDay?: boolean;
}

export interface SystemCardOptions {
  /** The game update these cards remind of: its `reminded` count grows with them, in their transaction. */
  updateId?: string;
  /** Where a failed push is reported (the cards are stored by then). */
  log?: { warn(obj: object, msg: string): void };
}

/**
 * A system card (spec §6.5: platform-defined content): the type's English title and row labels, the values
 * as plain text, no page (a mini game opens at its start, scene 1014), `lang` en_US.
 */
export async function systemCardRecord(
  ctx: Context,
  request: SystemCardRequest,
  now: number,
): Promise<MessageRecord> {
  const { app, userId, msgType, values } = request;
  const { title, labels } = SYS_MSG_CARDS[msgType];
  return {
    msgid: nextMsgid(),
    appid: app.appid,
    userId,
    openid: await openidFor(ctx, app.appid, userId),
    templateId: msgType,
    appName: app.name,
    title,
    rows: labels.map((label, i) => ({ label, value: values[i] ?? '' })),
    page: null,
    lang: 'en_US',
    miniprogramState: 'formal',
    createdAt: now,
    readAt: null,
  };
}

/**
 * The platform sends system cards into the recipients' Service Notifications inbox: the store delivers each
 * only to a user who accepted its type with the game's main switch on (and, `oncePerDay`, not yet reminded
 * by the game that China day), in one transaction; a msgid that collides is minted again. Delivered cards
 * are then pushed to the recipients' open sessions, as a send's card is. A game banned from subscribe
 * messages sends none. One result per request, in order.
 */
export async function sendSystemCards(
  ctx: Context,
  requests: SystemCardRequest[],
  options: SystemCardOptions = {},
): Promise<SystemDeliverResult[]> {
  const now = ctx.clock.now();
  const day = chinaDay(now);
  const results: SystemDeliverResult[] = requests.map(() => 'not-subscribed');
  const records = new Map<number, MessageRecord>();
  for (const [i, request] of requests.entries()) {
    if (!request.app.subscribeBanned) records.set(i, await systemCardRecord(ctx, request, now));
  }
  let pending = [...records.keys()];
  for (let attempt = 0; attempt < MSGID_ATTEMPTS && pending.length > 0; attempt++) {
    const deliveries = pending.map(
      (i): SystemCardDelivery => ({
        card: records.get(i)!,
        ...(requests[i]!.oncePerDay ? { oncePerDay: day } : {}),
      }),
    );
    const outcomes = await ctx.store.games.deliverSystemCards(deliveries, options.updateId);
    const retry: number[] = [];
    outcomes.forEach((outcome, n) => {
      const i = pending[n]!;
      results[i] = outcome;
      if (outcome === 'duplicate-msgid') {
        retry.push(i);
        records.set(i, { ...records.get(i)!, msgid: nextMsgid() });
      }
    });
    pending = retry;
  }
  for (const [i, outcome] of results.entries())
    if (outcome === 'delivered') pushSystemCard(ctx, records.get(i)!, options);
  return results;
}

/** Pushes a delivered card to the recipient's open sessions, as a send's card is (a failure is logged). */
export function pushSystemCard(
  ctx: Context,
  record: MessageRecord,
  options: Pick<SystemCardOptions, 'log'>,
): void {
  pushToUser(ctx, record.userId, { type: 'inbox.card', card: toInboxCard(record) }).catch((err: unknown) =>
    options.log?.warn({ err, msgid: record.msgid.toString() }, 'system card push failed'),
  );
}
