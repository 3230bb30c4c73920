import type { AppListing } from '@beckon/protocol';
import type { ComponentChildren } from 'preact';
import { TYPE_WORDS } from '../words/app-types.js';
import { AppIcon } from './app-icon.js';
import { ChevronIcon } from './icons.js';

export interface NavRowProps {
  /** What leads the row: an app's icon, or a RowGlyph. */
  lead: ComponentChildren;
  title: string;
  /** The line under the title. */
  sub?: string;
  onClick: () => void;
}

/** A row of a list that opens another screen: what leads it, its title (and a line under it), a chevron. */
export function NavRow({ lead, title, sub, onClick }: NavRowProps) {
  return (
    <button type="button" class="list-row" onClick={onClick}>
      {lead}
      <span class="list-row-text">
        <span class="list-row-title">{title}</span>
        {sub !== undefined && <span class="list-row-sub">{sub}</span>}
      </span>
      <span class="list-row-end" aria-hidden="true">
        <ChevronIcon size={18} />
      </span>
    </button>
  );
}

/** A row's glyph (Me's rows), in its tile; decorative: the title names the row. */
export function RowGlyph({ children }: { children: ComponentChildren }) {
  return (
    <span class="list-row-icon" aria-hidden="true">
      {children}
    </span>
  );
}

/** An app in a list (Home, the settings list): its icon, its name and type; opens what `onClick` opens. */
export function AppRow({ app, onClick }: { app: AppListing; onClick: () => void }) {
  return (
    <NavRow
      lead={<AppIcon app={app} size={44} />}
      title={app.name}
      sub={TYPE_WORDS[app.type]}
      onClick={onClick}
    />
  );
}
