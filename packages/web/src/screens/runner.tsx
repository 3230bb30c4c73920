import { useEffect, useRef, useState } from 'preact/hooks';
import { CloseRingIcon, MoreIcon } from '../components/icons.js';
import { TopBar } from '../components/top-bar.js';
import { ask } from '../dialogs/dialog-host.js';
import { appById, apps, loadApps } from '../state/catalogue.js';
import { goBack } from '../state/router.js';
import {
  appBack,
  backgroundApp,
  openApp,
  reloadApp,
  settingsFromMenu,
  settingsOver,
  shellState,
  startShell,
  stopShell,
} from '../state/shell.js';
import { AppSettings } from './app-settings.js';
import type { Launch } from './runner-address.js';

interface RunnerNavProps {
  title: string;
  canGoBack: boolean;
  onBack: () => void;
  onMenu: () => void;
  onClose: () => void;
}

/** The app's navigation bar: Back when its page stack holds more than one page, the title, the capsule. */
function RunnerNav({ title, canGoBack, onBack, onMenu, onClose }: RunnerNavProps) {
  return (
    <TopBar
      class="runner-nav"
      title={title}
      onBack={canGoBack ? onBack : undefined}
      right={
        <div class="capsule">
          <button type="button" class="capsule-button" aria-label="More" onClick={onMenu}>
            <MoreIcon size={20} />
          </button>
          <span class="capsule-divider" aria-hidden="true" />
          <button type="button" class="capsule-button" aria-label={`Close ${title}`} onClick={onClose}>
            <CloseRingIcon size={20} />
          </button>
        </div>
      }
    />
  );
}

/**
 * The runner: the app in front, full screen under its nav bar. It stays mounted while the person is signed
 * in, hidden on the phone's other screens: the shell keeps the running apps' frames in its host element,
 * and an app left for another screen is where it was when the person comes back from Home (WeChat's
 * mini programs stay in the background). `launch` is what the address asks for; null elsewhere.
 */
export function Runner({ launch }: { launch: Launch | null }) {
  const host = useRef<HTMLElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const app = launch ? appById.value.get(launch.appid) : undefined;
  const front = shellState.value.running.find((r) => r.app.appid === shellState.value.front);
  const card = launch && launch.scene === 1014 ? { page: launch.page } : null;

  useEffect(() => {
    startShell(host.current!);
    return stopShell;
  }, []);

  // Each arrival at a runner address opens (or brings back) its app; leaving it sends the app behind.
  const key = launch ? `${launch.appid} ${launch.scene} ${launch.page}` : null;
  useEffect(() => {
    if (!launch) {
      backgroundApp();
      return;
    }
    setProblem(null);
    if (!apps.value) {
      void loadApps();
      return;
    }
    if (!app?.frontend) {
      setProblem('This mini program cannot be opened: it has no pages.');
      return;
    }
    try {
      openApp(app, card);
    } catch (err) {
      setProblem(`This mini program cannot be opened: ${(err as Error).message}`);
    }
  }, [key, apps.value !== null]);

  const menu = async () => {
    const choice = await ask('action-sheet', { options: { itemList: ['Settings', 'Reload'] } });
    if (!app) return;
    if (choice === 0) void settingsFromMenu(app.appid);
    if (choice === 1) reloadApp(app, card);
  };

  const over = settingsOver.value;
  const title = app?.name ?? front?.app.name ?? '';
  return (
    <div class="runner" hidden={!launch}>
      <RunnerNav
        title={title}
        canGoBack={(front?.pages.length ?? 0) > 1}
        onBack={appBack}
        onMenu={menu}
        onClose={() => goBack('/')}
      />
      <section class="runner-host" ref={host} inert={over !== null} aria-label={title} />
      {problem && (
        <p class="quiet-note runner-problem" role="alert">
          {problem}
        </p>
      )}
      {over && launch && (
        <div class="runner-overlay">
          <AppSettings appid={over.appid} onBack={over.close} />
        </div>
      )}
    </div>
  );
}
