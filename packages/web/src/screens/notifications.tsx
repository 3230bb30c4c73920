import { type AppListing, type InboxCard, SCENES } from '@beckon/protocol';
import { Component } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { TopBar } from '../components/top-bar.js';
import { ask } from '../dialogs/dialog-host.js';
import { appById, loadApps } from '../state/catalogue.js';
import { inWords } from '../state/http.js';
import { inbox, loadOlder, markAllRead, stopCard } from '../state/inbox.js';
import { navigate } from '../state/router.js';
import { showToast } from '../state/toast.js';
import { cardTime } from '../words/card-words.js';
import { NotificationCard } from './notification-card.js';
import { runnerAddress } from './runner-address.js';

/** Within this many pixels of the bottom, a new card scrolls into view (the person is reading the end). */
const NEAR_BOTTOM = 80;

async function stopFromMenu(card: InboxCard): Promise<void> {
  const system = card.kind === 'system';
  const choice = await ask('action-sheet', {
    options: { itemList: [system ? 'Stop receiving these reminders' : 'Stop receiving this template'] },
  });
  if (choice !== 0) return;
  const sure = await ask('confirm', {
    options: {
      title: `Stop receiving "${card.title}"?`,
      message: system
        ? `${card.appName} will no longer send you these reminders. You can turn them on again in its settings.`
        : `${card.appName} will no longer be able to send you this message. You can allow it again when the mini program asks.`,
      confirmText: 'Stop',
      destructive: true,
    },
  });
  if (!sure) return;
  try {
    await stopCard(card.msgid);
    showToast(`You will no longer receive "${card.title}".`);
  } catch (err) {
    showToast(inWords(err));
  }
}

function openCard(card: InboxCard): void {
  if (card.page !== null || card.kind === 'system')
    navigate(runnerAddress(card.appid, card.page, SCENES.SERVICE_NOTIFICATION));
}

interface ThreadItemProps {
  card: InboxCard;
  app: AppListing | undefined;
}

/**
 * One card of the thread with its time. A card arriving (or read) re-renders itself only: the others keep
 * their objects (the inbox replaces a card only when it changes), so a long thread costs the same per card.
 */
class ThreadItem extends Component<ThreadItemProps> {
  override shouldComponentUpdate(next: ThreadItemProps): boolean {
    return next.card !== this.props.card || next.app !== this.props.app;
  }

  override render({ card, app }: ThreadItemProps) {
    return (
      <li class="thread-item">
        <time class="thread-time" dateTime={card.createdAt}>
          {cardTime(card.createdAt)}
        </time>
        <NotificationCard card={card} app={app} onOpen={openCard} onMenu={stopFromMenu} />
      </li>
    );
  }
}

/** Service Notifications: every app's cards in one thread, newest at the bottom, live, paging back on scroll. */
export function Notifications() {
  const { cards, unread, hasOlder, loading, error } = inbox.value;
  const scroller = useRef<HTMLElement>(null);
  const top = useRef<HTMLDivElement>(null);
  const seen = useRef({ first: '', last: '', height: 0, atBottom: true });

  useEffect(() => {
    void loadApps();
  }, []);

  // Reading the thread reads its cards, as WeChat clears the badge when the thread is opened.
  useEffect(() => {
    if (unread > 0) void markAllRead().catch(() => {});
  }, [unread]);

  // Older cards went in above: keep what the person was reading where it was. A new card at the end
  // scrolls into view when they were at the end.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const first = cards[0]?.msgid ?? '';
    const last = cards[cards.length - 1]?.msgid ?? '';
    const was = seen.current;
    if (was.last === '' || (last !== was.last && was.atBottom)) el.scrollTop = el.scrollHeight;
    else if (first !== was.first && last === was.last) el.scrollTop += el.scrollHeight - was.height;
    seen.current = { first, last, height: el.scrollHeight, atBottom: was.atBottom || was.last === '' };
  }, [cards]);

  useEffect(() => {
    const el = scroller.current;
    const sentinel = top.current;
    if (!el || !sentinel || !hasOlder) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !inbox.value.loading) void loadOlder().catch(() => {});
      },
      { root: el, rootMargin: '200px 0px 0px 0px' },
    );
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hasOlder, cards.length > 0]);

  const onScroll = () => {
    const el = scroller.current!;
    seen.current.atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM;
    seen.current.height = el.scrollHeight;
  };

  return (
    <>
      <TopBar title="Service Notifications" />
      <main class="screen-body thread" ref={scroller} onScroll={onScroll} aria-label="Service Notifications">
        <div ref={top} class="thread-top">
          {hasOlder && <p class="quiet-note">{loading ? 'Loading earlier notifications…' : ' '}</p>}
        </div>
        {error ? (
          <p class="quiet-note" role="alert">
            {inWords(error)}
          </p>
        ) : null}
        {cards.length === 0 && !loading && !error && (
          <p class="quiet-note thread-empty">
            No notifications yet. Messages you allow mini programs to send you appear here.
          </p>
        )}
        <ol class="thread-cards" aria-label="Notifications, oldest first">
          {cards.map((card) => (
            <ThreadItem key={card.msgid} card={card} app={appById.value.get(card.appid)} />
          ))}
        </ol>
      </main>
    </>
  );
}
