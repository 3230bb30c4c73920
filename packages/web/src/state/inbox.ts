import { Inbox, type InboxState } from '@beckon/client/inbox';
import { signal } from '@preact/signals';
import { http } from './http.js';
import { closeSocket, openSocket } from './socket.js';

export type { InboxState };

const EMPTY: InboxState = { cards: [], unread: 0, hasOlder: false, loading: false, error: null };

/**
 * The Service Notifications thread as the screens read it: `@beckon/client/inbox`'s state (cards oldest
 * first, the unread count, whether older pages remain, a load in flight, the last error), live over the
 * session's socket. One inbox per session: started at sign-in, stopped at sign-out.
 */
export const inbox = signal<InboxState>(EMPTY);

let client: Inbox | null = null;

export function startInbox(): void {
  stopInbox();
  const started = new Inbox({ http, socket: openSocket() });
  client = started;
  started.subscribe((state) => {
    if (client === started) inbox.value = state;
  });
  // A failed first page is in `state.error` (the screen says it); the socket's reconnect loads it again.
  void started.start().catch(() => {});
}

/** Stops it and forgets its cards (sign-out). */
export function stopInbox(): void {
  client?.close();
  client = null;
  closeSocket();
  inbox.value = EMPTY;
}

export const loadOlder = (): Promise<void> => client?.loadOlder() ?? Promise.resolve();
export const markAllRead = (): Promise<void> => client?.markAllRead() ?? Promise.resolve();
/** `POST /api/inbox/:msgid/stop`: the card's template (or reminder type) sends nothing more. */
export const stopCard = async (msgid: string): Promise<void> => {
  await client?.stop(msgid);
};
