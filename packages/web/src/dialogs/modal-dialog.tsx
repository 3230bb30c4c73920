import { useId, useState } from 'preact/hooks';
import type { DialogRequest } from './dialog-host.js';
import { Sheet } from './sheet.js';

type Request = Extract<DialogRequest, { kind: 'modal' }>;

/** A colour the app passed (`#rgb`, `#rrggbb`): anything else is ignored rather than put in a style. */
export function appColour(value: unknown): string | undefined {
  return typeof value === 'string' && /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(value) ? value : undefined;
}

const text = (value: unknown, fallback: string) =>
  typeof value === 'string' && value.trim() !== '' ? value : fallback;

/** `wx.showModal`, drawn by the phone: the app's title and content as text, Cancel and Confirm. */
export function ModalDialog({ request }: { request: Request }) {
  const o = request.options;
  const [typed, setTyped] = useState('');
  const titleId = useId();
  const showCancel = o.showCancel !== false;
  const cancel = () => request.done({ confirm: false, cancel: true });
  return (
    <Sheet
      place="center"
      labelledBy={o.title ? titleId : undefined}
      label={o.title ? undefined : 'Message'}
      onDismiss={cancel}
    >
      <div class="modal-body">
        {o.title && (
          <h2 id={titleId} class="modal-title">
            {String(o.title)}
          </h2>
        )}
        {o.editable ? (
          <textarea
            class="modal-input"
            aria-label={o.title ? String(o.title) : 'Your answer'}
            placeholder={typeof o.placeholderText === 'string' ? o.placeholderText : ''}
            value={typed}
            data-autofocus
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        ) : (
          o.content && <p class="modal-content">{String(o.content)}</p>
        )}
      </div>
      <div class="modal-actions">
        {showCancel && (
          <button
            type="button"
            class="modal-button"
            style={{ color: appColour(o.cancelColor) }}
            onClick={cancel}
          >
            {text(o.cancelText, 'Cancel')}
          </button>
        )}
        <button
          type="button"
          class="modal-button modal-button-confirm"
          style={{ color: appColour(o.confirmColor) }}
          onClick={() =>
            request.done({ confirm: true, cancel: false, ...(o.editable ? { content: typed } : {}) })
          }
        >
          {text(o.confirmText, 'OK')}
        </button>
      </div>
    </Sheet>
  );
}
