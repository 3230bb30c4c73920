/**
 * Buttons whose action must run inside the player's tap. A mini game may raise the subscribe dialog only
 * in the callbacks of `wx.onTouchEnd`, `wx.showModal` and `wx.showActionSheet` (spec §4.1): these actions
 * run from `wx.onTouchEnd`, for the button under the finger. A click no touch end handled (a keyboard press,
 * or a mouse where touch ends are touch-only) runs the same action: it is a user activation all the same.
 */
const actions = new Map();
let lastDown;
let last = { button: undefined, at: 0 };
/** A touch end and the click that follows it are one tap. */
const SAME_TAP_MS = 800;

function run(button) {
  if (!(button instanceof HTMLButtonElement) || button.disabled || !actions.has(button)) return;
  const now = performance.now();
  if (last.button === button && now - last.at < SAME_TAP_MS) return;
  last = { button, at: now };
  actions.get(button)();
}

function buttonAt(touch) {
  const x = touch?.clientX ?? touch?.pageX;
  const y = touch?.clientY ?? touch?.pageY;
  const hit = typeof x === 'number' && typeof y === 'number' ? document.elementFromPoint(x, y) : lastDown;
  return hit?.closest?.('button');
}

/** Starts listening: `wx.onTouchEnd` when the page has it, clicks always. */
export function listenForTaps() {
  document.addEventListener('pointerdown', (e) => (lastDown = e.target), true);
  if (typeof globalThis.wx?.onTouchEnd === 'function')
    globalThis.wx.onTouchEnd((res) => run(buttonAt(res?.changedTouches?.[0] ?? res?.touches?.[0])));
  document.addEventListener('click', (e) => run(e.target?.closest?.('button')));
}

/** `action` runs when the player taps `button`. */
export function onTap(button, action) {
  actions.set(button, action);
}
