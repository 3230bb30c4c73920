import { useId } from 'preact/hooks';
import type { DialogRequest } from './dialog-host.js';
import { Sheet } from './sheet.js';

type Request = Extract<DialogRequest, { kind: 'confirm' }>;

/** The phone's own confirmation before it takes something away (stop a template, remove a friend). */
export function ConfirmDialog({ request }: { request: Request }) {
  const { title, message, confirmText, destructive } = request.options;
  const titleId = useId();
  return (
    <Sheet place="center" labelledBy={titleId} onDismiss={() => request.done(false)}>
      <div class="modal-body">
        <h2 id={titleId} class="modal-title">
          {title}
        </h2>
        {message && <p class="modal-content">{message}</p>}
      </div>
      <div class="modal-actions">
        <button type="button" class="modal-button" onClick={() => request.done(false)}>
          Cancel
        </button>
        <button
          type="button"
          class={`modal-button ${destructive ? 'modal-button-danger' : 'modal-button-confirm'}`}
          onClick={() => request.done(true)}
        >
          {confirmText}
        </button>
      </div>
    </Sheet>
  );
}
