import { Shell, type ShellState, type ShellUi } from '@beckon/client/shell';
import type { AppListing } from '@beckon/protocol';
import { signal } from '@preact/signals';
import { ask } from '../dialogs/dialog-host.js';
import { http } from './http.js';
import { path } from './router.js';

/**
 * The session's shell (`@beckon/client/shell`): runs the mini programs in frames inside the runner's host
 * element and asks the phone to draw their dialogs. Created when the runner's host is in the document (at
 * sign-in), destroyed at sign-out.
 */
let shell: Shell | null = null;

const IDLE: ShellState = { running: [], front: null, dialog: null };
/** The shell's state: the running apps and their page stacks, the app in front. */
export const shellState = signal<ShellState>(IDLE);

/** An app's settings page shown over the runner (its menu, or `wx.openSetting`), and what closes it. */
export const settingsOver = signal<{ appid: string; close: () => void } | null>(null);

/** Shows the app's settings over the runner; resolves when the person leaves them (or `signal` aborts). */
export function showSettings(appid: string, signal?: AbortSignal): Promise<void> {
  settingsOver.value?.close();
  return new Promise((resolve) => {
    const close = () => {
      if (settingsOver.value?.close === close) settingsOver.value = null;
      resolve();
    };
    settingsOver.value = { appid, close };
    signal?.addEventListener('abort', close, { once: true });
  });
}

/**
 * The capsule's Settings: the app's settings page over it. The app goes behind meanwhile (its pages hear
 * `hide`) and comes back to the front when the person returns from the settings (`show`), so a page can
 * read what changed, as a WeChat page hears onHide and onShow around the settings page. Leaving the runner
 * for another screen closes the settings too: then the app stays behind.
 */
export async function settingsFromMenu(appid: string): Promise<void> {
  if (!shell) return;
  shell.background();
  await showSettings(appid);
  if (path.value.startsWith(`/apps/${encodeURIComponent(appid)}`)) shell?.show(appid);
}

/** What the shell asks the phone to draw (dialogs/), each answer the person's. */
const phoneUi: ShellUi = {
  subscribe: (request, signal) => ask('subscribe', { options: request }, signal),
  subscribeSystem: (request, signal) => ask('system-subscribe', { options: request }, signal),
  async modal(request, signal) {
    const answer = await ask('modal', { options: request }, signal);
    return answer.content === undefined ? { confirm: answer.confirm } : answer;
  },
  actionSheet: (request, signal) => ask('action-sheet', { options: request }, signal),
  friendInteraction: (request, signal) =>
    ask(
      'interaction',
      {
        options: {
          app: request.app,
          friendName: request.friend.nickname,
          title: request.title,
          quiet: request.quiet,
        },
      },
      signal,
    ),
  settings: (request, signal) => showSettings(request.app.appid, signal),
};

export function startShell(host: HTMLElement): void {
  stopShell();
  const started = new Shell({ host, http, ui: phoneUi });
  shell = started;
  started.subscribe((state) => {
    if (shell === started) shellState.value = state;
  });
}

export function stopShell(): void {
  settingsOver.value?.close();
  shell?.destroy();
  shell = null;
  shellState.value = IDLE;
}

/**
 * Brings the app to the front: from Home (scene 1001) as the person left it, or from a card (scene 1014) at
 * the card's page. Throws (a ShellError) when the app cannot be opened.
 */
export function openApp(app: AppListing, card: { page: string | null } | null): void {
  if (!shell) return;
  if (card) shell.openFromCard(app, card.page);
  else shell.open(app);
}

/** The person left the runner (another screen): the app keeps its pages and hears `hide`. */
export function backgroundApp(): void {
  settingsOver.value?.close();
  shell?.background();
}

/** The nav bar's Back: the app in front goes back a page. */
export function appBack(): void {
  shell?.back();
}

/** The menu's Reload: the app starts over, as it was opened. */
export function reloadApp(app: AppListing, card: { page: string | null } | null): void {
  shell?.close(app.appid);
  openApp(app, card);
}
