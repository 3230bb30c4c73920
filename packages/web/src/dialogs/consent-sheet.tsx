import type { AppListing } from '@beckon/protocol';
import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';
import { AppIcon } from '../components/app-icon.js';
import { Switch } from '../components/switch.js';
import { Sheet } from './sheet.js';

/*
 * What the platform's two consent dialogs share (a mini program's templates, a mini game's reminder types):
 * the bottom sheet with the app's icon and name over the question, one item per thing asked with a switch
 * each when there are several, every switch on at first.
 */

/** The switches of a consent dialog: every asked item on at first; `toggle` turns one on or off. */
export function useSwitches<T>(asked: readonly T[]): [ReadonlySet<T>, (item: T, on: boolean) => void] {
  const [ticked, setTicked] = useState(() => new Set(asked));
  const toggle = (item: T, on: boolean) => {
    const next = new Set(ticked);
    if (on) next.add(item);
    else next.delete(item);
    setTicked(next);
  };
  return [ticked, toggle];
}

export interface ConsentSheetProps {
  app: AppListing;
  /** The question, after the app's name: the dialog is named by both. */
  heading: string;
  onDismiss: () => void;
  children: ComponentChildren;
}

/** A consent dialog's sheet: the app's icon and name, the question, then the items and buttons. */
export function ConsentSheet({ app, heading, onDismiss, children }: ConsentSheetProps) {
  const appId = useId();
  const headingId = useId();
  return (
    <Sheet place="bottom" labelledBy={`${appId} ${headingId}`} onDismiss={onDismiss}>
      <div class="consent-app">
        <AppIcon app={app} size={24} />
        <span id={appId} class="consent-app-name">
          {app.name}
        </span>
      </div>
      <h2 id={headingId} class="consent-heading">
        {heading}
      </h2>
      {children}
    </Sheet>
  );
}

export interface ConsentItemProps {
  title: string;
  /** Draws the item's switch (the dialog asks about several). */
  switchable: boolean;
  checked: boolean;
  onChange: (on: boolean) => void;
  /** What the item shows under its title. */
  children: ComponentChildren;
}

/** One asked item of a consent dialog: its title, its switch when there are several, what it shows. */
export function ConsentItem({ title, switchable, checked, onChange, children }: ConsentItemProps) {
  return (
    <li class="consent-item">
      <div class="consent-item-head">
        <span class="consent-item-title">{title}</span>
        {switchable && <Switch checked={checked} label={title} onChange={onChange} />}
      </div>
      {children}
    </li>
  );
}
