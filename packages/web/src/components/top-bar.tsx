import type { ComponentChildren } from 'preact';
import { BackIcon } from './icons.js';

export interface TopBarProps {
  title: string;
  /** Shows the back button. */
  onBack?: () => void;
  /** Controls at the right end. */
  right?: ComponentChildren;
}

/** A screen's title bar, as WeChat's: the title centred, Back at the left. */
export function TopBar({ title, onBack, right }: TopBarProps) {
  return (
    <header class="top-bar">
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
