import { ConfirmSheet } from './confirm-dialog.js';
import type { DialogRequest } from './dialog-host.js';

type Request = Extract<DialogRequest, { kind: 'interaction' }>;

/**
 * `wx.modifyFriendInteractiveStorage`: the person confirms that the game may remind a friend (spec §6.5).
 * The friend's name comes from the platform, the reminder's text from the game, both shown as text.
 */
export function InteractionDialog({ request }: { request: Request }) {
  const { app, friendName, title, quiet } = request.options;
  return (
    <ConfirmSheet
      title={quiet ? `Send this to ${friendName}?` : `Remind ${friendName}?`}
      confirmText="Send"
      answer={request.done}
    >
      {title && <p class="interaction-quote">{title}</p>}
      <p class="modal-content">
        {quiet
          ? `${app.name} will record it in the game for your friend.`
          : `${app.name} will send your friend a reminder in Service Notifications.`}
      </p>
    </ConfirmSheet>
  );
}
