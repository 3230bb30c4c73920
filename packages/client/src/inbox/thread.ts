import type { InboxCard } from '@beckon/protocol';

/**
 * The thread's order: msgids ascending (oldest first, as the thread shows them, newest at the bottom). msgids
 * are 64-bit decimal strings, beyond a double's exact range: compared as BigInt, never as Number.
 */
export function byMsgid(a: { msgid: string }, b: { msgid: string }): number {
  const x = BigInt(a.msgid);
  const y = BigInt(b.msgid);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether msgid `a` comes before `b` in the thread. */
export function older(a: string, b: string): boolean {
  return BigInt(a) < BigInt(b);
}

/**
 * The thread with `incoming` merged in: each msgid once, in order; a card met again replaces the one held
 * (a page is fresher), except that read stays read (a card is never marked unread). `added` lists the
 * cards the thread did not hold.
 */
export function mergeCards(
  held: readonly InboxCard[],
  incoming: readonly InboxCard[],
): { cards: InboxCard[]; added: InboxCard[] } {
  // A live card is almost always the newest: it goes at the end without rebuilding the whole thread.
  const last = held[held.length - 1];
  const only = incoming.length === 1 ? incoming[0]! : undefined;
  if (only && (!last || older(last.msgid, only.msgid))) return { cards: [...held, only], added: [only] };
  const byId = new Map(held.map((card) => [card.msgid, card]));
  const added: InboxCard[] = [];
  for (const card of incoming) {
    const known = byId.get(card.msgid);
    if (!known) added.push(card);
    byId.set(card.msgid, known?.read && !card.read ? { ...card, read: true } : card);
  }
  return { cards: [...byId.values()].sort(byMsgid), added };
}

/** The cards with those msgids (every card when `which` is omitted) marked read; the others as they were. */
export function markedRead(cards: readonly InboxCard[], which?: ReadonlySet<string>): InboxCard[] {
  return cards.map((card) =>
    card.read || (which && !which.has(card.msgid)) ? card : { ...card, read: true },
  );
}
