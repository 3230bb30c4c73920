import type { SysMsgType } from '@beckon/protocol';
import { useId, useState } from 'preact/hooks';
import { AppIcon } from '../components/app-icon.js';
import { Switch } from '../components/switch.js';
import { systemTypeWords } from '../words/system-types.js';
import type { DialogRequest } from './dialog-host.js';
import { Sheet } from './sheet.js';

type Request = Extract<DialogRequest, { kind: 'system-subscribe' }>;

/**
 * A mini game's `wx.requestSubscribeSystemMessage` dialog (spec §4.5, §6.5): the reminder types it asks
 * for, a switch each when there are several, Allow and Cancel. No keep-choice box: an accepted type stays.
 */
export function SystemConsentDialog({ request }: { request: Request }) {
  const { app, types } = request.options;
  const asked = types.filter((t) => t.status === 'ask').map((t) => t.msgType);
  const [ticked, setTicked] = useState(() => new Set<SysMsgType>(asked));
  const several = asked.length > 1;
  const appId = useId();
  const headingId = useId();

  const toggle = (type: SysMsgType, on: boolean) => {
    const next = new Set(ticked);
    if (on) next.add(type);
    else next.delete(type);
    setTicked(next);
  };

  return (
    <Sheet
      place="bottom"
      labelledBy={`${appId} ${headingId}`}
      onDismiss={() => request.done({ accepted: [] })}
    >
      <div class="consent-app">
        <AppIcon app={app} size={24} />
        <span id={appId} class="consent-app-name">
          {app.name}
        </span>
      </div>
      <h2 id={headingId} class="consent-heading">
        {several ? 'Would like to send you these reminders' : 'Would like to send you this reminder'}
      </h2>
      <ul class="consent-items">
        {asked.map((type) => (
          <li key={type} class="consent-item">
            <div class="consent-item-head">
              <span class="consent-item-title">{systemTypeWords(type).name}</span>
              {several && (
                <Switch
                  checked={ticked.has(type)}
                  label={systemTypeWords(type).name}
                  onChange={(on) => toggle(type, on)}
                />
              )}
            </div>
            <p class="consent-detail">{systemTypeWords(type).detail}</p>
          </li>
        ))}
      </ul>
      <p class="consent-note">Allowed reminders stay on until you turn them off in the game's settings.</p>
      <div class="sheet-actions">
        <button type="button" class="button button-secondary" onClick={() => request.done({ accepted: [] })}>
          Cancel
        </button>
        <button
          type="button"
          class="button button-primary"
          onClick={() => request.done({ accepted: asked.filter((t) => !several || ticked.has(t)) })}
        >
          Allow
        </button>
      </div>
    </Sheet>
  );
}
