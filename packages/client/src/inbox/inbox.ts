import { INBOX_PAGE_MAX, type InboxCard, type InboxPage } from '@beckon/protocol';
import type { PlatformHttp } from '../platform/http.js';
import type { BeckonSocket } from '../socket/index.js';
import { StateStore } from '../state-store.js';
import { markedRead, mergeCards, older } from './thread.js';

/** What a UI draws; a new object on every change (compare by reference). */
export interface InboxState {
  /** Oldest first, as the thread shows them (newest at the bottom); each msgid once. */
  readonly cards: readonly InboxCard[];
  /** The user's unread cards, all of them (not only those loaded). */
  readonly unread: number;
  /** Whether older cards remain on the server: `loadOlder()` fetches the next page of them. */
  readonly hasOlder: boolean;
  /** The first page or an older one is being fetched (a refresh after a reconnect does not show). */
  readonly loading: boolean;
  /** Why the last page load failed (a PlatformError); null once one succeeds. */
  readonly error: Error | null;
}

export interface InboxOptions {
  /** The client API, signed in as the inbox's user. */
  http: PlatformHttp;
  /** A socket opened with the same session's token: it carries the live cards and counts. */
  socket: BeckonSocket;
  /** Cards per page (default 20, at most INBOX_PAGE_MAX). */
  pageSize?: number;
}

/**
 * After a reconnect, how many pages of at most INBOX_PAGE_MAX cards are fetched to reach the cards held;
 * past that the thread starts again from the newest page (scrolling back fetches the rest).
 */
const GAP_PAGES = 4;

/**
 * The Service Notifications thread of the signed-in user: every app's cards in one thread, live over the
 * socket, paged back over the client API, framework-free. Live cards are inserted in msgid order, never
 * twice; after the socket reconnects the newest cards are fetched again, so those sent while it was down
 * appear. Page loads put their failure in `state.error`; the actions (`markRead`, `stop`…) reject with it.
 *
 * @example
 * const inbox = new Inbox({ http, socket });
 * const off = inbox.subscribe((state) => render(state.cards, state.unread));
 * await inbox.start();
 * await inbox.loadOlder(); // as the user scrolls up
 */
export class Inbox {
  private readonly store = new StateStore<InboxState>(
    { cards: [], unread: 0, hasOlder: false, loading: false, error: null },
    'Inbox: a listener threw',
  );
  private readonly pageSize: number;
  private detach: (() => void)[] = [];
  private started: Promise<void> | undefined;
  private olderLoad: Promise<void> | undefined;
  /** Page loads run one at a time, each merging into what the one before left. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: InboxOptions) {
    const size = options.pageSize ?? 20;
    if (!Number.isInteger(size) || size < 1 || size > INBOX_PAGE_MAX)
      throw new RangeError(`Inbox: pageSize must be 1..${INBOX_PAGE_MAX}`);
    this.pageSize = size;
  }

  get state(): InboxState {
    return this.store.state;
  }

  /**
   * Calls `listener` with the new state on every change; returns the function that stops it.
   * @example const off = inbox.subscribe((s) => (badge.textContent = String(s.unread)));
   */
  subscribe(listener: (state: InboxState) => void): () => void {
    return this.store.subscribe(listener);
  }

  /**
   * Listens to the socket and loads the newest page and the unread count (once; later calls return the same
   * promise). The socket may be opened before or after: the newest page is fetched again when it opens.
   * @example await inbox.start();
   */
  start(): Promise<void> {
    if (this.started) return this.started;
    const { socket } = this.options;
    this.detach = [
      socket.on('inbox.card', ({ card }) => this.arrived(card)),
      socket.on('inbox.unread', ({ unread }) => this.counted(unread)),
      socket.on('hello', ({ unread }) => this.counted(unread)),
      socket.onReconnect(() => this.refresh()),
    ];
    if (socket.status !== 'open') {
      // Cards sent between this page and the socket's opening reach neither: fetched again once it opens.
      const off = socket.onStatus((status) => {
        if (status !== 'open') return;
        off();
        void this.refresh();
      });
      this.detach.push(off);
    }
    // A restart (after close()) keeps the cards held and fills the gap to them.
    const first = this.store.state.cards.length === 0;
    this.started = Promise.all([this.loadNewest(first), this.loadUnread()]).then(() => {});
    return this.started;
  }

  /** Stops listening to the socket (which stays open); `start()` starts again. */
  close(): void {
    for (const off of this.detach.splice(0)) off();
    this.started = undefined;
  }

  /**
   * Fetches the newest cards again and merges them (the socket's reconnect does it by itself), reaching
   * back to the cards held when more than a page arrived meanwhile.
   */
  refresh(): Promise<void> {
    return this.loadNewest(false);
  }

  /**
   * Fetches the page of cards before the oldest held (nothing when `hasOlder` is false); a call while one
   * is under way returns that one.
   * @example if (inbox.state.hasOlder) await inbox.loadOlder();
   */
  loadOlder(): Promise<void> {
    this.olderLoad ??= this.enqueue(async () => {
      const oldest = this.store.state.cards[0];
      if (!this.store.state.hasOlder || !oldest) return;
      this.store.set({ loading: true });
      try {
        const page = await this.page(oldest.msgid, this.pageSize);
        this.store.set({
          cards: mergeCards(this.store.state.cards, page.cards).cards,
          hasOlder: page.nextCursor !== null,
          loading: false,
          error: null,
        });
      } catch (err) {
        this.store.set({ loading: false, error: err as Error });
      }
    }).finally(() => {
      this.olderLoad = undefined;
    });
    return this.olderLoad;
  }

  /**
   * Marks one card read; rejects with a PlatformError (91001 when the user has no such card).
   * @example await inbox.markRead(card.msgid);
   */
  async markRead(msgid: string): Promise<void> {
    const { unread } = await this.options.http.request<{ read: boolean; unread: number }>(
      'POST',
      `/api/inbox/${encodeURIComponent(msgid)}/read`,
    );
    this.store.set({ cards: markedRead(this.store.state.cards, new Set([msgid])), unread });
  }

  /**
   * Marks every card read (a card arriving meanwhile may stay unread, and counts).
   * @example await inbox.markAllRead();
   */
  async markAllRead(): Promise<void> {
    const held = new Set(this.store.state.cards.map((card) => card.msgid));
    const { unread } = await this.options.http.request<{ unread: number }>('POST', '/api/inbox/read-all');
    this.store.set({ cards: markedRead(this.store.state.cards, unread === 0 ? undefined : held), unread });
  }

  /**
   * The card's "…" menu: stops the card's template for this user and app (its grants zeroed, no more
   * cards of it until the user accepts it again); the card stays. Resolves with the template id.
   * @example const templateId = await inbox.stop(card.msgid);
   */
  async stop(msgid: string): Promise<string> {
    const { templateId } = await this.options.http.request<{ stopped: boolean; templateId: string }>(
      'POST',
      `/api/inbox/${encodeURIComponent(msgid)}/stop`,
    );
    return templateId;
  }

  // ---------------------------------------------------------------------------------------------------

  private enqueue(load: () => Promise<void>): Promise<void> {
    const run = this.queue.then(load);
    this.queue = run.catch(() => {});
    return run;
  }

  private page(cursor: string | undefined, limit: number): Promise<InboxPage> {
    const query = `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    return this.options.http.request<InboxPage>('GET', `/api/inbox?${query}`);
  }

  /** A card pushed live: inserted in order, counted when new and unread. */
  private arrived(card: InboxCard): void {
    const { cards, added } = mergeCards(this.store.state.cards, [card]);
    this.store.set({ cards, unread: this.store.state.unread + added.filter((c) => !c.read).length });
  }

  /** The server's count; none unread means every card held is read (another tab read them). */
  private counted(unread: number): void {
    this.store.set(unread === 0 ? { unread, cards: markedRead(this.store.state.cards) } : { unread });
  }

  private async loadUnread(): Promise<void> {
    try {
      const { unread } = await this.options.http.request<{ unread: number }>(
        'GET',
        '/api/inbox/unread-count',
      );
      this.counted(unread);
    } catch (err) {
      this.store.set({ error: err as Error });
    }
  }

  /**
   * The newest page, merged. After a reconnect, when its oldest card is still newer than the newest held
   * (more arrived than a page holds), older pages follow until they reach the cards held.
   */
  private loadNewest(first: boolean): Promise<void> {
    return this.enqueue(async () => {
      if (first) this.store.set({ loading: true });
      const newestHeld = this.store.state.cards.at(-1)?.msgid;
      try {
        const page = await this.page(undefined, this.pageSize);
        let fetched = page.cards;
        let cursor = page.nextCursor;
        const reaches = (cards: readonly InboxCard[]) => {
          const oldest = cards.at(-1)?.msgid;
          return !newestHeld || !oldest || !older(newestHeld, oldest);
        };
        let bridged = first || cursor === null || reaches(page.cards);
        for (let i = 0; !bridged && cursor !== null && i < GAP_PAGES; i++) {
          const next = await this.page(cursor, INBOX_PAGE_MAX);
          fetched = fetched.concat(next.cards);
          cursor = next.nextCursor;
          bridged = cursor === null || reaches(next.cards);
        }
        if (bridged) {
          // What lies before the oldest card held is as it was, unless the pages reached past it.
          const oldestHeld = this.store.state.cards[0]?.msgid;
          const oldestFetched = fetched.at(-1)?.msgid;
          const past = !oldestHeld || (oldestFetched !== undefined && !older(oldestHeld, oldestFetched));
          const hasOlder = first || past ? cursor !== null : this.store.state.hasOlder;
          const { cards } = mergeCards(this.store.state.cards, fetched);
          this.store.set({ cards, hasOlder, loading: false, error: null });
        } else {
          // Too much to bridge: the thread starts again from what was fetched (and live cards since).
          const oldest = fetched.at(-1)?.msgid ?? '0';
          const kept = this.store.state.cards.filter((card) => older(oldest, card.msgid));
          this.store.set({
            cards: mergeCards(kept, fetched).cards,
            hasOlder: true,
            loading: false,
            error: null,
          });
        }
      } catch (err) {
        this.store.set({ loading: false, error: err as Error });
      }
    });
  }
}
