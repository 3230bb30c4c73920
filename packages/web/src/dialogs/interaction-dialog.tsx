import { useId } from 'preact/hooks';
import type { DialogRequest } from './dialog-host.js';
import { Sheet } from './sheet.js';

type Request = Extract<DialogRequest, { kind: 'interaction' }>;

/**
 * `wx.modifyFriendInteractiveStorage`: the person confirms that the game may remind a friend (spec §6.5).
 * The friend's name comes from the platform, the reminder's text from the game, both shown as text.
 */
export function InteractionDialog({ request }: { request: Request }) {
  const { app, friendName, title, quiet } = request.options;
  const titleId = useId();
  return (
    <Sheet place="center" labelledBy={titleId} onDismiss={() => request.done(false)}>
      <div class="modal-body">
        <h2 id={titleId} class="modal-title">
          {quiet ? `Send this to ${friendName}?` : `Remind ${friendName}?`}
        </h2>
        {title && <p class="interaction-quote">{title}</p>}
        <p class="modal-content">
          {quiet
            ? `${app.name} will record it in the game for your friend.`
            : `${app.name} will send your friend a reminder in Service Notifications.`}
        </p>
      </div>
      <div class="modal-actions">
        <button type="button" class="modal-button" onClick={() => request.done(false)}>
          Cancel
        </button>
        <button type="button" class="modal-button modal-button-confirm" onClick={() => request.done(true)}>
          Send
        </button>
      </div>
    </Sheet>
  );
}
