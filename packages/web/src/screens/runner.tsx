import type { AppListing } from '@beckon/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { BackIcon, CloseRingIcon, MoreIcon } from '../components/icons.js';
import { ask } from '../dialogs/dialog-host.js';
import { appById, apps, appsError, loadApps } from '../state/catalogue.js';
import { goBack } from '../state/router.js';
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
    <header class="runner-nav">
      <div class="runner-nav-side">
        {canGoBack && (
          <button type="button" class="icon-button" aria-label="Back" onClick={onBack}>
            <BackIcon />
          </button>
        )}
      </div>
      <h1 class="runner-title">{title}</h1>
      <div class="runner-nav-side runner-nav-right">
        <div class="capsule">
          <button type="button" class="capsule-button" aria-label="More" onClick={onMenu}>
            <MoreIcon size={20} />
          </button>
          <span class="capsule-divider" aria-hidden="true" />
          <button type="button" class="capsule-button" aria-label={`Close ${title}`} onClick={onClose}>
            <CloseRingIcon size={20} />
          </button>
        </div>
      </div>
    </header>
  );
}

/**
 * The runner: an app's pages, full screen, with its nav bar. The shell (`@beckon/client/shell`) mounts the
 * app's frames into the host element and asks the phone to draw its dialogs (dialogs/). Settings (the
 * capsule's menu, `wx.openSetting`) open over the app, which stays as it was underneath.
 */
export function Runner({ launch }: { launch: Launch }) {
  const host = useRef<HTMLDivElement>(null);
  const [stackDepth] = useState(1);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [reloads, setReloads] = useState(0);
  const app: AppListing | undefined = appById.value.get(launch.appid);

  useEffect(() => {
    void loadApps();
  }, []);

  const close = () => goBack('/');
  const menu = async () => {
    const choice = await ask('action-sheet', { options: { itemList: ['Settings', 'Reload'] } });
    if (choice === 0) setSettingsOpen(true);
    if (choice === 1) setReloads((n) => n + 1);
  };

  const missing = apps.value !== null && !app?.frontend;
  return (
    <div class="runner">
      <RunnerNav
        title={app?.name ?? ''}
        canGoBack={stackDepth > 1}
        onBack={() => {}}
        onMenu={menu}
        onClose={close}
      />
      <div class="runner-host" ref={host} inert={settingsOpen} data-reloads={reloads}>
        {missing && <p class="quiet-note">This mini program cannot be opened: it has no pages.</p>}
        {appsError.value && <p class="quiet-note">{appsError.value}</p>}
      </div>
      {settingsOpen && (
        <div class="runner-overlay">
          <AppSettings appid={launch.appid} onBack={() => setSettingsOpen(false)} />
        </div>
      )}
    </div>
  );
}
