import { toast } from '../state/toast.js';

/** The toast line; its live region is always there, so screen readers hear each new text. */
export function Toast() {
  return (
    <div class="toast-region" role="status" aria-live="polite">
      {toast.value && (
        <p key={toast.value.id} class="toast">
          {toast.value.text}
        </p>
      )}
    </div>
  );
}
