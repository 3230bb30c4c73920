import { systemTypeWords } from '../words/system-types.js';
import { ConsentItem, ConsentSheet, useSwitches } from './consent-sheet.js';
import type { DialogRequest } from './dialog-host.js';

type Request = Extract<DialogRequest, { kind: 'system-subscribe' }>;

/**
 * A mini game's `wx.requestSubscribeSystemMessage` dialog (spec §4.5, §6.5): the reminder types it asks
 * for, a switch each when there are several, Allow and Cancel. No keep-choice box: an accepted type stays.
 */
export function SystemConsentDialog({ request }: { request: Request }) {
  const { app, types } = request.options;
  const asked = types.filter((t) => t.status === 'ask').map((t) => t.msgType);
  const [ticked, toggle] = useSwitches(asked);
  const several = asked.length > 1;

  return (
    <ConsentSheet
      app={app}
      heading={several ? 'Would like to send you these reminders' : 'Would like to send you this reminder'}
      onDismiss={() => request.done({ accepted: [] })}
    >
      <ul class="consent-items">
        {asked.map((type) => (
          <ConsentItem
            key={type}
            title={systemTypeWords(type).name}
            switchable={several}
            checked={ticked.has(type)}
            onChange={(on) => toggle(type, on)}
          >
            <p class="consent-detail">{systemTypeWords(type).detail}</p>
          </ConsentItem>
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
    </ConsentSheet>
  );
}
