import type { DialogRequest } from './dialog-host.js';
import { appColour } from './modal-dialog.js';
import { Sheet } from './sheet.js';

type Request = Extract<DialogRequest, { kind: 'action-sheet' }>;

/** `wx.showActionSheet` (and the phone's own menus): the items as buttons, Cancel apart below them. */
export function ActionSheet({ request }: { request: Request }) {
  const { alertText, itemList, itemColor } = request.options;
  const colour = appColour(itemColor);
  return (
    <Sheet
      place="bottom"
      label={alertText ? String(alertText) : 'Options'}
      onDismiss={() => request.done(null)}
      backdropCloses
    >
      {alertText && <p class="action-alert">{String(alertText)}</p>}
      <div class="action-items">
        {itemList.map((item, index) => (
          <button
            key={index}
            type="button"
            class="action-item"
            style={{ color: colour }}
            onClick={() => request.done(index)}
          >
            {String(item)}
          </button>
        ))}
      </div>
      <button type="button" class="action-item action-cancel" onClick={() => request.done(null)}>
        Cancel
      </button>
    </Sheet>
  );
}
