import { useState } from 'preact/hooks';
import { ConsentItem, ConsentSheet, useSwitches } from './consent-sheet.js';
import type { DialogRequest } from './dialog-host.js';

type Request = Extract<DialogRequest, { kind: 'subscribe' }>;

/**
 * The platform's consent dialog for `wx.requestSubscribeMessage` (spec §4.1, §4.2): the app's name, each
 * asked template's title and keyword names exactly as the template words them, a switch per template when
 * there are several, the keep-choice box, Allow and Cancel. Templates settled without asking are not shown.
 */
export function ConsentDialog({ request }: { request: Request }) {
  const { app, templates } = request.options;
  const asked = templates.filter((t) => t.status === 'ask');
  const [ticked, toggle] = useSwitches(asked.map((t) => t.templateId));
  const [keep, setKeep] = useState(false);
  const several = asked.length > 1;
  const longTerm = asked.some((t) => t.type === 3);

  return (
    <ConsentSheet
      app={app}
      heading={several ? 'Would like to send you these messages' : 'Would like to send you this message'}
      onDismiss={() => request.done({ accepted: [], keepChoice: false })}
    >
      <ul class="consent-items">
        {asked.map((template) => (
          <ConsentItem
            key={template.templateId}
            title={template.title}
            switchable={several}
            checked={ticked.has(template.templateId)}
            onChange={(on) => toggle(template.templateId, on)}
          >
            <ul class="consent-keywords" aria-label={`${template.title}: what it shows`}>
              {template.keywords.map((keyword) => (
                <li key={keyword.name}>{keyword.name}</li>
              ))}
            </ul>
          </ConsentItem>
        ))}
      </ul>
      {longTerm && (
        <p class="consent-note">You will receive these until you turn them off in the app's settings.</p>
      )}
      <label class="check-row">
        <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.currentTarget.checked)} />
        <span>Always keep the above choice, don't ask again</span>
      </label>
      <div class="sheet-actions">
        <button
          type="button"
          class="button button-secondary"
          onClick={() => request.done({ accepted: [], keepChoice: keep })}
        >
          Cancel
        </button>
        <button
          type="button"
          class="button button-primary"
          onClick={() =>
            request.done({
              accepted: asked.map((t) => t.templateId).filter((id) => !several || ticked.has(id)),
              keepChoice: keep,
            })
          }
        >
          Allow
        </button>
      </div>
    </ConsentSheet>
  );
}
