import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from '@beckon/protocol';
import { useState } from 'preact/hooks';
import { inWords } from '../state/http.js';
import { navigate, path } from '../state/router.js';
import { signIn, signUp } from '../state/session.js';

/** What is wrong with the form before it is sent, in words (the server checks the same rules). */
function problem(signingUp: boolean, username: string, password: string): string | null {
  if (!username.trim()) return 'Enter your username.';
  if (!password) return 'Enter your password.';
  if (!signingUp) return null;
  if (!USERNAME_PATTERN.test(username))
    return 'A username has 3 to 32 letters, digits, dots, dashes or underscores.';
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH)
    return `A password has ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`;
  return null;
}

/** Sign in (any address) and sign up (`/signup`): the only screens before a session. */
export function SignIn() {
  const signingUp = path.value === '/signup';
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // A message about what was sent goes once the person changes it.
  const edit = (set: (value: string) => void, value: string) => {
    set(value);
    setError(null);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const wrong = problem(signingUp, username, password);
    setError(wrong);
    if (wrong) return;
    setBusy(true);
    try {
      if (signingUp) await signUp(username.trim(), password, displayName);
      else await signIn(username.trim(), password);
      navigate('/', { replace: true });
    } catch (err) {
      setError(inWords(err));
      setBusy(false);
    }
  };

  const switchTo = (to: string) => (event: MouseEvent) => {
    event.preventDefault();
    setError(null);
    navigate(to, { replace: true });
  };

  return (
    <main class="auth">
      <div class="auth-brand">
        <span class="auth-mark" aria-hidden="true">
          B
        </span>
        <h1 class="auth-title">{signingUp ? 'Create your Beckon account' : 'Sign in to Beckon'}</h1>
      </div>
      <form class="auth-form" onSubmit={submit} noValidate>
        <label class="field">
          <span class="field-label">Username</span>
          <input
            class="field-input"
            name="username"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            value={username}
            onInput={(e) => edit(setUsername, e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="field-label">Password</span>
          <input
            class="field-input"
            name="password"
            type="password"
            autocomplete={signingUp ? 'new-password' : 'current-password'}
            value={password}
            onInput={(e) => edit(setPassword, e.currentTarget.value)}
          />
        </label>
        {signingUp && (
          <label class="field">
            <span class="field-label">Display name (optional)</span>
            <input
              class="field-input"
              name="displayName"
              autocomplete="nickname"
              maxLength={32}
              value={displayName}
              onInput={(e) => edit(setDisplayName, e.currentTarget.value)}
            />
          </label>
        )}
        {signingUp && (
          <p class="field-hint">
            Usernames have 3 to 32 letters, digits, dots, dashes or underscores; passwords at least{' '}
            {PASSWORD_MIN_LENGTH} characters.
          </p>
        )}
        <p class="form-error" role="alert">
          {error}
        </p>
        <button type="submit" class="button button-primary button-wide" disabled={busy}>
          {signingUp ? 'Sign up' : 'Sign in'}
        </button>
      </form>
      <p class="auth-switch">
        {signingUp ? 'Already have an account? ' : 'New to Beckon? '}
        <a href={signingUp ? '/' : '/signup'} onClick={switchTo(signingUp ? '/' : '/signup')}>
          {signingUp ? 'Sign in' : 'Create an account'}
        </a>
      </p>
    </main>
  );
}
