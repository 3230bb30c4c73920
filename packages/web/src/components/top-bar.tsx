import type { ComponentChildren } from 'preact';
import { BackIcon } from './icons.js';

export interface TopBarProps {
  title: string;
  /** Shows the back button. */
  onBack?: () => void;
  /** Controls at the right end. */
  right?: ComponentChildren;
  /** A class that restyles the bar (`runner-nav`: an app's navigation bar, its capsule at the right). */
  class?: string;
}

/** A screen's title bar, as WeChat's: the title centred, Back at the left. */
export function TopBar({ title, onBack, right, class: restyle }: TopBarProps) {
  return (
    <header class={restyle ? `top-bar ${restyle}` : 'top-bar'}>
      <div class="top-bar-side">
        {onBack && (
          <button type="button" class="icon-button" aria-label="Back" onClick={onBack}>
            <BackIcon />
          </button>
        )}
      </div>
      <h1 class="top-bar-title">{title}</h1>
      <div class="top-bar-side top-bar-right">{right}</div>
    </header>
  );
}
