import { useEffect } from 'preact/hooks';
import { AppIcon } from '../components/app-icon.js';
import { ChevronIcon } from '../components/icons.js';
import { TopBar } from '../components/top-bar.js';
import { apps, appsError, loadApps } from '../state/catalogue.js';
import { goBack, navigate } from '../state/router.js';
import { TYPE_WORDS } from './home.js';

/** Me → Mini program settings: every app, each opening its settings page. */
export function SettingsList() {
  useEffect(() => {
    void loadApps();
  }, []);
  return (
    <>
      <TopBar title="Mini program settings" onBack={() => goBack('/me')} />
      <main class="screen-body">
        {appsError.value && (
          <p class="quiet-note" role="alert">
            {appsError.value}
          </p>
        )}
        {apps.value?.length === 0 && <p class="quiet-note">No mini programs yet.</p>}
        {apps.value && apps.value.length > 0 && (
          <ul class="list list-with-icons" aria-label="Mini programs">
            {apps.value.map((app) => (
              <li key={app.appid}>
                <button
                  type="button"
                  class="list-row"
                  onClick={() => navigate(`/me/settings/${encodeURIComponent(app.appid)}`)}
                >
                  <AppIcon app={app} size={44} />
                  <span class="list-row-text">
                    <span class="list-row-title">{app.name}</span>
                    <span class="list-row-sub">{TYPE_WORDS[app.type]}</span>
                  </span>
                  <span class="list-row-end" aria-hidden="true">
                    <ChevronIcon size={18} />
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
