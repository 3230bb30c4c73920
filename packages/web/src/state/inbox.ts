import type { InboxCard } from '@beckon/protocol';
import { signal } from '@preact/signals';

/**
 * The Service Notifications thread as the screens read it: the shape of `@beckon/client/inbox`'s
 * `Inbox.state` (cards oldest first, the unread count, whether older pages remain, a load in flight, the
 * last error). One inbox per session: started at sign-in, stopped at sign-out.
 */
export interface InboxState {
  cards: InboxCard[];
  unread: number;
  hasOlder: boolean;
  loading: boolean;
  error: unknown;
}

const EMPTY: InboxState = { cards: [], unread: 0, hasOlder: false, loading: false, error: null };

export const inbox = signal<InboxState>(EMPTY);

/** The inbox client's operations the screens use. */
interface InboxClient {
  loadOlder(): Promise<void>;
  markAllRead(): Promise<void>;
  stop(msgid: string): Promise<void>;
  close(): void;
}

let client: InboxClient | null = null;

/** Starts the session's inbox (wired to `@beckon/client/inbox` once it lands). */
export function startInbox(): void {}

/** Stops it and forgets its cards (sign-out). */
export function stopInbox(): void {
  client?.close();
  client = null;
  inbox.value = EMPTY;
}

export const loadOlder = (): Promise<void> => client?.loadOlder() ?? Promise.resolve();
export const markAllRead = (): Promise<void> => client?.markAllRead() ?? Promise.resolve();
/** `POST /api/inbox/:msgid/stop`: the card's template (or reminder type) sends nothing more. */
export const stopCard = (msgid: string): Promise<void> => client?.stop(msgid) ?? Promise.resolve();
