import { useEffect } from 'preact/hooks';
import { AppRow } from '../components/list-row.js';
import { TopBar } from '../components/top-bar.js';
import { apps, appsError, loadApps } from '../state/catalogue.js';
import { goBack, navigate } from '../state/router.js';

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
                <AppRow app={app} onClick={() => navigate(`/me/settings/${encodeURIComponent(app.appid)}`)} />
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
