import { useId, useState } from 'preact/hooks';
import { AppIcon } from '../components/app-icon.js';
import { Switch } from '../components/switch.js';
import type { DialogRequest } from './dialog-host.js';
import { Sheet } from './sheet.js';

type Request = Extract<DialogRequest, { kind: 'subscribe' }>;

/**
 * The platform's consent dialog for `wx.requestSubscribeMessage` (spec §4.1, §4.2): the app's name, each
 * asked template's title and keyword names exactly as the template words them, a switch per template when
 * there are several, the keep-choice box, Allow and Cancel. Templates settled without asking are not shown.
 */
export function ConsentDialog({ request }: { request: Request }) {
  const { app, templates } = request.options;
  const asked = templates.filter((t) => t.status === 'ask');
  const [ticked, setTicked] = useState(() => new Set(asked.map((t) => t.templateId)));
  const [keep, setKeep] = useState(false);
  const several = asked.length > 1;
  const appId = useId();
  const headingId = useId();
  const longTerm = asked.some((t) => t.type === 3);

  const toggle = (id: string, on: boolean) => {
    const next = new Set(ticked);
    if (on) next.add(id);
    else next.delete(id);
    setTicked(next);
  };

  return (
    <Sheet
      place="bottom"
      labelledBy={`${appId} ${headingId}`}
      onDismiss={() => request.done({ accepted: [], keepChoice: false })}
    >
      <div class="consent-app">
        <AppIcon app={app} size={24} />
        <span id={appId} class="consent-app-name">
          {app.name}
        </span>
      </div>
      <h2 id={headingId} class="consent-heading">
        {several ? 'Would like to send you these messages' : 'Would like to send you this message'}
      </h2>
      <ul class="consent-items">
        {asked.map((template) => (
          <li key={template.templateId} class="consent-item">
            <div class="consent-item-head">
              <span class="consent-item-title">{template.title}</span>
              {several && (
                <Switch
                  checked={ticked.has(template.templateId)}
                  label={template.title}
                  onChange={(on) => toggle(template.templateId, on)}
                />
              )}
            </div>
            <ul class="consent-keywords" aria-label={`${template.title}: what it shows`}>
              {template.keywords.map((keyword) => (
                <li key={keyword.name}>{keyword.name}</li>
              ))}
            </ul>
          </li>
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
    </Sheet>
  );
}
