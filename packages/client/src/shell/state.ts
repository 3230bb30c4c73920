import type { AppListing, LaunchOptions } from '@beckon/protocol';
import type { DialogKind } from './ui.js';

/** A page of an app's stack: its path (no leading slash, '' for the front end itself) and query. */
export interface ShellPage {
  path: string;
  query: Record<string, string>;
}

/** A running app as the UI sees it. */
export interface RunningAppState {
  app: AppListing;
  /** How it was last opened (`wx.getLaunchOptionsSync`): path, query, scene. */
  launch: LaunchOptions;
  /** Its page stack, the first page first; the last one is on screen. */
  pages: readonly ShellPage[];
}

/**
 * The shell's state, for the UI to draw: a new object on every change (compare by identity, or hand
 * `subscribe` and `state` to Preact's/React's `useSyncExternalStore`).
 */
export interface ShellState {
  /** Running apps, in the order they were opened. */
  running: readonly RunningAppState[];
  /** The appid of the app in front, or null when none is (the phone shows its own screens). */
  front: string | null;
  /** The dialog the shell is waiting on, if any (the UI callback it called). */
  dialog: { appid: string; kind: DialogKind } | null;
}

export type StateListener = (state: ShellState) => void;
