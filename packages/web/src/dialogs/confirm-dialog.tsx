import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import type { DialogRequest } from './dialog-host.js';
import { Sheet } from './sheet.js';

type Request = Extract<DialogRequest, { kind: 'confirm' }>;

export interface ConfirmSheetProps {
  /** The question; it names the dialog. */
  title: string;
  confirmText: string;
  /** Draws the confirm button in red: it takes something away. */
  destructive?: boolean;
  /** True for the confirm button; false for Cancel, Escape or the dialog withdrawn. */
  answer: (ok: boolean) => void;
  /** What it means, under the question. */
  children?: ComponentChildren;
}

/** A yes-or-no box in the middle of the screen: the question, what it means, Cancel and the confirm button. */
export function ConfirmSheet({ title, confirmText, destructive, answer, children }: ConfirmSheetProps) {
  const titleId = useId();
  return (
    <Sheet place="center" labelledBy={titleId} onDismiss={() => answer(false)}>
      <div class="modal-body">
        <h2 id={titleId} class="modal-title">
          {title}
        </h2>
        {children}
      </div>
      <div class="modal-actions">
        <button type="button" class="modal-button" onClick={() => answer(false)}>
          Cancel
        </button>
        <button
          type="button"
          class={`modal-button ${destructive ? 'modal-button-danger' : 'modal-button-confirm'}`}
          onClick={() => answer(true)}
        >
          {confirmText}
        </button>
      </div>
    </Sheet>
  );
}

/** The phone's own confirmation before it takes something away (stop a template, remove a friend). */
export function ConfirmDialog({ request }: { request: Request }) {
  const { title, message, confirmText, destructive } = request.options;
  return (
    <ConfirmSheet title={title} confirmText={confirmText} destructive={destructive} answer={request.done}>
      {message && <p class="modal-content">{message}</p>}
    </ConfirmSheet>
  );
}
