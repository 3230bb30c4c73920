import type { Decision, SettingChange, SettingsPage } from '@beckon/protocol';
import { useEffect, useState } from 'preact/hooks';
import { AppIcon } from '../components/app-icon.js';
import { Switch } from '../components/switch.js';
import { TopBar } from '../components/top-bar.js';
import { appById, loadApps } from '../state/catalogue.js';
import { http, inWords } from '../state/http.js';
import { TYPE_WORDS } from '../words/app-types.js';
import { systemTypeWords } from '../words/system-types.js';

const SETTING_WORDS = { accept: 'Always allow', reject: 'Always reject', ban: 'Banned by the platform' };

export interface AppSettingsProps {
  appid: string;
  onBack: () => void;
}

/**
 * An app's settings, as WeChat's Settings → Subscription Messages: the main switch, each template whose
 * choice is kept (always allow / always reject), and a mini game's reminder types. Reached from Me and
 * from the runner's menu (and `wx.openSetting`).
 */
export function AppSettings({ appid, onBack }: AppSettingsProps) {
  const [page, setPage] = useState<SettingsPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const app = appById.value.get(appid);

  const path = `/api/apps/${encodeURIComponent(appid)}/settings`;
  const load = async () => {
    try {
      setPage(await http.request<SettingsPage>('GET', `${path}/page`));
    } catch (err) {
      setError(inWords(err));
    }
  };
  useEffect(() => {
    void loadApps();
    void load();
  }, [appid]);

  /** Shows the change at once; a failure puts the page back as the server has it. */
  const change = async (body: SettingChange, shown: SettingsPage) => {
    if (saving) return; // one change at a time: each answer is the page as the server has it
    setPage(shown);
    setSaving(true);
    setError(null);
    try {
      await http.request('PUT', path, body);
    } catch (err) {
      setError(inWords(err));
    }
    await load();
    setSaving(false);
  };

  const setItem = (id: string, decision: Decision) => {
    if (!page) return;
    void change(
      { itemSettings: { [id]: decision } },
      {
        ...page,
        templates: page.templates.map((t) => (t.templateId === id ? { ...t, setting: decision } : t)),
        systemTypes: page.systemTypes.map((t) => (t.msgType === id ? { ...t, setting: decision } : t)),
      },
    );
  };

  const name = page?.appName ?? app?.name ?? '';
  return (
    <>
      <TopBar title="Settings" onBack={onBack} />
      <main class="screen-body" aria-busy={saving}>
        {(page || app) && (
          <section class="settings-app" aria-label="Mini program">
            <AppIcon app={{ appid, name, icon: app?.icon ?? null }} size={56} />
            <h2 class="settings-app-name">{name}</h2>
            {app && <p class="settings-app-type">{TYPE_WORDS[app.type]}</p>}
          </section>
        )}
        <p class="form-error" role="alert">
          {error}
        </p>
        {!page && !error && <p class="quiet-note">Loading…</p>}
        {page && (
          <>
            <h3 class="list-heading">Subscription Messages</h3>
            <ul class="list">
              <li class="list-row list-row-static">
                <span class="list-row-text">
                  <span class="list-row-title">Receive subscription messages</span>
                </span>
                <Switch
                  checked={page.mainSwitch}
                  label="Receive subscription messages"
                  onChange={(on) => change({ mainSwitch: on }, { ...page, mainSwitch: on })}
                />
              </li>
            </ul>
            {!page.mainSwitch && (
              <p class="list-foot">
                {name} cannot ask you for subscription messages or send you any. Turn this on to receive them
                again.
              </p>
            )}
            {page.mainSwitch && (
              <>
                {page.templates.length > 0 ? (
                  <ul class="list" aria-label="Remembered choices">
                    {page.templates.map((t) => (
                      <li key={t.templateId} class="list-row list-row-static">
                        <span class="list-row-text">
                          <span class="list-row-title">{t.title}</span>
                          <span class="list-row-sub">{SETTING_WORDS[t.setting]}</span>
                        </span>
                        {t.setting !== 'ban' && (
                          <Switch
                            checked={t.setting === 'accept'}
                            label={t.title}
                            onChange={(on) => setItem(t.templateId, on ? 'accept' : 'reject')}
                          />
                        )}
                      </li>
                    ))}
                  </ul>
                ) : null}
                <p class="list-foot">
                  {page.templates.length > 0
                    ? 'Messages you chose to always allow or reject. Turning one off also cancels the messages you had allowed.'
                    : 'Messages appear here when you tick "Always keep the above choice" as you allow or reject them.'}
                </p>
                {page.systemTypes.length > 0 && (
                  <>
                    <h3 class="list-heading">Game reminders</h3>
                    <ul class="list" aria-label="Game reminders">
                      {page.systemTypes.map((t) => (
                        <li key={t.msgType} class="list-row list-row-static">
                          <span class="list-row-text">
                            <span class="list-row-title">{systemTypeWords(t.msgType).name}</span>
                            <span class="list-row-sub">{systemTypeWords(t.msgType).detail}</span>
                          </span>
                          {t.setting !== 'ban' && (
                            <Switch
                              checked={t.setting === 'accept'}
                              label={systemTypeWords(t.msgType).name}
                              onChange={(on) => setItem(t.msgType, on ? 'accept' : 'reject')}
                            />
                          )}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </>
            )}
          </>
        )}
      </main>
    </>
  );
}
