import type { AppListing, InboxCard } from '@beckon/protocol';
import { useId } from 'preact/hooks';
import { AppIcon } from '../components/app-icon.js';
import { ChevronIcon, MoreIcon } from '../components/icons.js';
import { ENTER_MINI_PROGRAM, STATE_BADGE } from '../words/card-words.js';

export interface NotificationCardProps {
  card: InboxCard;
  /** The app as the catalogue lists it (its icon), when it does. */
  app: AppListing | undefined;
  onOpen: (card: InboxCard) => void;
  onMenu: (card: InboxCard) => void;
}

/**
 * One card of Service Notifications: the app, the title, a row per keyword (label: value, exactly as sent,
 * as text), a badge for a developer or trial version, and the line that opens the app's page when the card
 * has one (a system card, a mini game's reminder, always opens its game).
 */
export function NotificationCard({ card, app, onOpen, onMenu }: NotificationCardProps) {
  const titleId = useId();
  const badge = STATE_BADGE[card.miniprogramState];
  // A mini game's system reminder opens the game at its start (scene 1014), as WeChat's do; a subscribe
  // message opens only when its send named a page.
  const opens = card.page !== null || card.kind === 'system';
  return (
    <article class="card" aria-labelledby={titleId} data-msgid={card.msgid}>
      <header class="card-head">
        <AppIcon app={{ appid: card.appid, name: card.appName, icon: app?.icon ?? null }} size={22} />
        <span class="card-app">{card.appName}</span>
        <button
          type="button"
          class="icon-button card-more"
          aria-label={`More options for ${card.title}`}
          onClick={() => onMenu(card)}
        >
          <MoreIcon size={20} />
        </button>
      </header>
      {/* The whole card opens its page, as in WeChat; keyboards and readers use the line below. */}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the link line below is the accessible way */}
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the link line below is the accessible way */}
      <div
        class={opens ? 'card-body card-body-opens' : 'card-body'}
        onClick={opens ? () => onOpen(card) : undefined}
      >
        <h3 id={titleId} class="card-title">
          {card.title}
        </h3>
        {badge && <span class="card-badge">{badge}</span>}
        <dl class="card-rows">
          {card.rows.map((row, index) => (
            <div key={index} class="card-row">
              <dt>{row.label}</dt>
              <dd>{row.value}</dd>
            </div>
          ))}
        </dl>
      </div>
      {opens && (
        <button
          type="button"
          class="card-open"
          lang={card.lang.replace('_', '-')}
          onClick={() => onOpen(card)}
        >
          <span>{ENTER_MINI_PROGRAM[card.lang]}</span>
          <ChevronIcon size={16} />
        </button>
      )}
    </article>
  );
}
