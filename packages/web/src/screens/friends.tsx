import { PlatformError } from '@beckon/client/platform';
import { Errors, type FriendsResponse, type FriendView } from '@beckon/protocol';
import { useEffect, useState } from 'preact/hooks';
import { Avatar } from '../components/avatar.js';
import { TopBar } from '../components/top-bar.js';
import { ask } from '../dialogs/dialog-host.js';
import { http, inWords } from '../state/http.js';
import { goBack } from '../state/router.js';
import { me } from '../state/session.js';

/** Why adding failed, in words: the username is the one typed, shown as text. */
function addProblem(err: unknown, username: string): string {
  if (err instanceof PlatformError && err.errcode === Errors.NOT_FOUND.code)
    return `No one has the username "${username}".`;
  return inWords(err);
}

/** Me → Friends: add a friend by username (both then see each other), the list, remove one. */
export function Friends() {
  const [friends, setFriends] = useState<FriendView[] | null>(null);
  const [username, setUsername] = useState('');
  const [status, setStatus] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    try {
      setFriends((await http.request<FriendsResponse>('GET', '/api/friends')).friends);
    } catch (err) {
      setStatus({ error: true, text: inWords(err) });
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const add = async (event: Event) => {
    event.preventDefault();
    const name = username.trim();
    if (!name) return setStatus({ error: true, text: "Enter your friend's username." });
    if (name.toLowerCase() === me.value?.username.toLowerCase())
      return setStatus({ error: true, text: "That's you: enter a friend's username." });
    setBusy(true);
    try {
      const friend = await http.request<FriendView>('POST', '/api/friends', { username: name });
      const known = friends?.some((f) => f.id === friend.id);
      setStatus({
        error: false,
        text: known
          ? `${friend.displayName} is already your friend.`
          : `${friend.displayName} is now your friend.`,
      });
      setUsername('');
      await load();
    } catch (err) {
      setStatus({ error: true, text: addProblem(err, name) });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (friend: FriendView) => {
    const sure = await ask('confirm', {
      options: {
        title: `Remove ${friend.displayName}?`,
        message: `You will no longer be friends on Beckon: neither of you will see the other in the list.`,
        confirmText: 'Remove',
        destructive: true,
      },
    });
    if (!sure) return;
    try {
      await http.request('DELETE', `/api/friends/${encodeURIComponent(friend.id)}`);
      setStatus({ error: false, text: `${friend.displayName} was removed.` });
      await load();
    } catch (err) {
      setStatus({ error: true, text: inWords(err) });
    }
  };

  return (
    <>
      <TopBar title="Friends" onBack={() => goBack('/me')} />
      <main class="screen-body">
        <form class="inline-form" onSubmit={add} noValidate>
          <label class="inline-field">
            <span class="visually-hidden">Friend's username</span>
            <input
              class="field-input"
              placeholder="Friend's username"
              autocapitalize="none"
              spellcheck={false}
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          </label>
          <button type="submit" class="button button-primary" disabled={busy}>
            Add
          </button>
        </form>
        <p class={status?.error ? 'form-error' : 'form-status'} role="status">
          {status?.text}
        </p>
        {friends?.length === 0 && (
          <p class="quiet-note">
            No friends yet. Add someone by their username: you will see each other here.
          </p>
        )}
        {friends && friends.length > 0 && (
          <>
            <h2 class="list-heading">{friends.length === 1 ? '1 friend' : `${friends.length} friends`}</h2>
            <ul class="list list-with-icons" aria-label="Your friends">
              {friends.map((friend) => (
                <li key={friend.id} class="list-row list-row-static">
                  <Avatar name={friend.displayName} seed={friend.id} size={44} />
                  <span class="list-row-text">
                    <span class="list-row-title">{friend.displayName}</span>
                    <span class="list-row-sub">{friend.username}</span>
                  </span>
                  <button
                    type="button"
                    class="button button-small button-secondary"
                    aria-label={`Remove ${friend.displayName}`}
                    onClick={() => remove(friend)}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </main>
    </>
  );
}
