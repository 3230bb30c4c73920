/**
 * @beckon/client/shell: the host's side of the `wx` bridge, for the phone (docs: packages/client/README.md).
 * No UI of its own: the phone draws every dialog through the ShellUi callbacks.
 */

export { FRAME_SANDBOX, ShellError } from './running-app.js';
export { Shell, type ShellOptions } from './shell.js';
export type { RunningAppState, ShellPage, ShellState, StateListener } from './state.js';
export type * from './ui.js';
