import type { SessionResponse, UserView } from '@beckon/protocol';
import { signal } from '@preact/signals';
import { dialogs, dismiss } from '../dialogs/dialog-host.js';
import { clearApps } from './catalogue.js';
import { http, TOKEN_KEY } from './http.js';
import { startInbox, stopInbox } from './inbox.js';
import { navigate } from './router.js';

/** The signed-in person, or null (the sign-in screen). */
export const me = signal<UserView | null>(null);
/** `GET /api/me` on start has not answered yet (`error`: it failed for another reason than the session). */
export const restoring = signal<{ error: unknown } | boolean>(Boolean(http.token));

function keep(token: string | null): void {
  http.token = token;
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage blocked: the session lasts as long as the page
  }
}

/** Signed in: who, and their inbox. */
function begin(user: UserView): void {
  me.value = user;
  startInbox();
}

/** Forgets the session on this phone and shows the sign-in screen at `/`. */
function endLocally(): void {
  if (!http.token && !me.value) return;
  keep(null);
  me.value = null;
  stopInbox();
  clearApps();
  for (const open of dialogs.value) dismiss(open);
  navigate('/', { replace: true });
}

http.onSessionEnded = endLocally;

// Another tab of this browser signed out or in: follow it.
addEventListener('storage', (event) => {
  if (event.key !== TOKEN_KEY || event.newValue === http.token) return;
  if (event.newValue === null) endLocally();
  else location.reload();
});

/** The session kept from an earlier visit, if any: who it belongs to. */
export async function restore(): Promise<void> {
  if (!http.token) return;
  restoring.value = true;
  try {
    begin((await http.request<{ user: UserView }>('GET', '/api/me')).user);
    restoring.value = false;
  } catch (error) {
    // 92004 has already signed the phone out; anything else (offline) keeps the token for a retry.
    restoring.value = http.token ? { error } : false;
  }
}

export async function signIn(username: string, password: string): Promise<void> {
  const session = await http.request<SessionResponse>('POST', '/api/sessions', { username, password });
  keep(session.token);
  begin(session.user);
}

export async function signUp(username: string, password: string, displayName: string): Promise<void> {
  await http.request('POST', '/api/accounts', {
    username,
    password,
    ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
  });
  await signIn(username, password);
}

/** Ends the session on the server too; the phone forgets it even when the server cannot be reached. */
export async function signOut(): Promise<void> {
  try {
    await http.request('DELETE', '/api/sessions/current');
  } catch {
    // an ended session, or no network: forgetting it here is what the person asked for
  }
  endLocally();
}
