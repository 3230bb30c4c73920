import { ActionSheet } from './action-sheet.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { ConsentDialog } from './consent-dialog.js';
import { type DialogRequest, dialogs } from './dialog-host.js';
import { InteractionDialog } from './interaction-dialog.js';
import { ModalDialog } from './modal-dialog.js';
import { SystemConsentDialog } from './system-consent-dialog.js';

function DialogFor({ request }: { request: DialogRequest }) {
  switch (request.kind) {
    case 'subscribe':
      return <ConsentDialog request={request} />;
    case 'system-subscribe':
      return <SystemConsentDialog request={request} />;
    case 'modal':
      return <ModalDialog request={request} />;
    case 'action-sheet':
      return <ActionSheet request={request} />;
    case 'confirm':
      return <ConfirmDialog request={request} />;
    case 'interaction':
      return <InteractionDialog request={request} />;
  }
}

/** The open dialog, over the whole phone; those queued behind it show when it closes. */
export function DialogLayer() {
  const current = dialogs.value[0];
  // A fresh component per request: a queued dialog of the same kind never inherits the last one's state.
  return current ? <DialogFor key={current.id} request={current} /> : null;
}
