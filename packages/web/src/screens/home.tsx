import { useEffect } from 'preact/hooks';
import { AppRow } from '../components/list-row.js';
import { TopBar } from '../components/top-bar.js';
import { apps, appsError, loadApps } from '../state/catalogue.js';
import { navigate } from '../state/router.js';
import { runnerAddress } from './runner-address.js';

/** Home: the mini programs and mini games that have pages to open, by name. */
export function Home() {
  useEffect(() => {
    void loadApps(true);
  }, []);
  const openable = (apps.value ?? []).filter((app) => app.frontend);

  return (
    <>
      <TopBar title="Mini Programs" />
      <main class="screen-body">
        {apps.value === null && !appsError.value && <p class="quiet-note">Loading…</p>}
        {appsError.value && (
          <div class="quiet-note" role="alert">
            <p>{appsError.value}</p>
            <button type="button" class="button button-secondary" onClick={() => loadApps(true)}>
              Try again
            </button>
          </div>
        )}
        {apps.value !== null && openable.length === 0 && (
          <p class="quiet-note">
            No mini programs yet. They appear here once an operator registers their pages.
          </p>
        )}
        {openable.length > 0 && (
          <ul class="list list-with-icons" aria-label="Mini programs and mini games">
            {openable.map((app) => (
              <li key={app.appid}>
                <AppRow app={app} onClick={() => navigate(runnerAddress(app.appid))} />
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
