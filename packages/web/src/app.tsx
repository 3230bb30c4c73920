import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { TabBar } from './components/tab-bar.js';
import { Toast } from './components/toast.js';
import { dialogs } from './dialogs/dialog-host.js';
import { DialogLayer } from './dialogs/dialog-layer.js';
import { AppSettings } from './screens/app-settings.js';
import { Friends } from './screens/friends.js';
import { Home } from './screens/home.js';
import { Me } from './screens/me.js';
import { Notifications } from './screens/notifications.js';
import { Runner } from './screens/runner.js';
import { launchFrom } from './screens/runner-address.js';
import { SettingsList } from './screens/settings-list.js';
import { SignIn } from './screens/sign-in.js';
import { appById } from './state/catalogue.js';
import { inWords } from './state/http.js';
import { inbox } from './state/inbox.js';
import { goBack, match, navigate, path, query } from './state/router.js';
import { me, restore, restoring } from './state/session.js';

interface Route {
  /** Null for the runner, which is always there (screens/runner.tsx). */
  screen: JSX.Element | null;
  /** The document's title. */
  title: string;
  /** The tab bar shows under the tabs' own screens only, as WeChat hides it on the screens they open. */
  tabs: boolean;
}

/** The screen at the current address; null for an address the phone does not know (Home shows instead). */
function route(at: string): Route | null {
  const running = match<'appid'>('/apps/:appid', at);
  if (running) {
    const title = appById.value.get(running.appid)?.name ?? 'Mini program';
    return { screen: null, title, tabs: false };
  }
  const settings = match<'appid'>('/me/settings/:appid', at);
  if (settings) {
    const back = () => goBack('/me/settings');
    return { screen: <AppSettings appid={settings.appid} onBack={back} />, title: 'Settings', tabs: false };
  }
  switch (at) {
    case '/':
      return { screen: <Home />, title: 'Mini Programs', tabs: true };
    case '/notifications':
      return { screen: <Notifications />, title: 'Service Notifications', tabs: true };
    case '/me':
      return { screen: <Me />, title: 'Me', tabs: true };
    case '/me/friends':
      return { screen: <Friends />, title: 'Friends', tabs: false };
    case '/me/settings':
      return { screen: <SettingsList />, title: 'Mini program settings', tabs: false };
    default:
      return null;
  }
}

function SignedIn() {
  const at = path.value;
  const found = route(at);
  const known = found ?? route('/')!;
  useEffect(() => {
    document.title = `${known.title} · Beckon`;
  }, [known.title]);
  useEffect(() => {
    // `/signup` after signing up, or an address the phone does not know: Home.
    if (!found) navigate('/', { replace: true });
  }, [at]);
  const runner = match<'appid'>('/apps/:appid', at);
  return (
    <>
      <div class="stage" inert={dialogs.value.length > 0}>
        {known.screen && (
          <div class="screens">
            <div class="screen">{known.screen}</div>
            {known.tabs && <TabBar unread={inbox.value.unread} />}
          </div>
        )}
        <Runner launch={runner ? launchFrom(runner.appid, query.value) : null} />
      </div>
      <DialogLayer />
    </>
  );
}

function Starting() {
  const state = restoring.value;
  return (
    <main class="starting">
      <span class="auth-mark" aria-hidden="true">
        B
      </span>
      {typeof state === 'object' ? (
        <div class="quiet-note" role="alert">
          <p>{inWords(state.error)}</p>
          <button type="button" class="button button-primary" onClick={() => restore()}>
            Try again
          </button>
        </div>
      ) : (
        <p class="quiet-note">Opening Beckon…</p>
      )}
    </main>
  );
}

/** The phone: a phone-sized frame on a desktop, the whole window on a phone. */
export function App() {
  useEffect(() => {
    void restore();
  }, []);
  useEffect(() => {
    if (!me.value && restoring.value === false)
      document.title = path.value === '/signup' ? 'Sign up · Beckon' : 'Sign in · Beckon';
  }, [me.value, restoring.value, path.value]);
  return (
    <div class="phone">
      {restoring.value !== false ? <Starting /> : me.value ? <SignedIn /> : <SignIn />}
      <Toast />
    </div>
  );
}
