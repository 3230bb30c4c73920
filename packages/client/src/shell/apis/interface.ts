import { MAX_ACTION_SHEET_ITEMS, WX_FAIL, wxOk } from '@beckon/protocol';
import { type Call, WITHDRAWN, type WxResult } from './call.js';
import { failure, type WxFailure } from './fail.js';
import { enter } from './gate.js';

const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
/** WeChat's limit on a modal's button texts. */
const MAX_BUTTON_TEXT = 4;

/** An optional string argument: its value, or `fallback` when left out; anything else fails. */
function text(call: Call, name: string, fallback: string): string {
  const value = call.args[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string')
    throw failure(call.api, `parameter error: parameter.${name} should be String`);
  return value;
}

function buttonText(call: Call, name: string): string | undefined {
  const value = text(call, name, '');
  if ([...value].length > MAX_BUTTON_TEXT)
    throw failure(call.api, `${name} length should not larger then 4 Chinese characters`);
  return value || undefined;
}

/** A color argument, kept only when it is one (the phone's default otherwise). */
function color(call: Call, name: string): string | undefined {
  const value = call.args[name];
  return typeof value === 'string' && COLOR.test(value) ? value : undefined;
}

function notInFront(call: Call): WxFailure {
  return failure(call.api, WX_FAIL.NOT_IN_FRONT);
}

/** `wx.showModal`, drawn by the phone. The user's tap on its buttons counts as a tap for the app's next call. */
export async function showModal(call: Call): Promise<WxResult> {
  const request = {
    app: call.app.app,
    title: text(call, 'title', ''),
    content: text(call, 'content', ''),
    showCancel: call.args.showCancel !== false,
    cancelText: buttonText(call, 'cancelText'),
    cancelColor: color(call, 'cancelColor'),
    confirmText: buttonText(call, 'confirmText'),
    confirmColor: color(call, 'confirmColor'),
    editable: call.args.editable === true,
    placeholderText: text(call, 'placeholderText', ''),
  };
  enter(call, { notInFront: notInFront(call), tapOnly: false });
  let answer: Awaited<ReturnType<typeof call.shell.dialog<'modal'>>>;
  try {
    answer = await call.shell.dialog(call.app, 'modal', request);
  } finally {
    call.shell.release(call.app);
  }
  if (answer === WITHDRAWN) throw failure(call.api, WX_FAIL.CANCEL);
  const confirm = answer.confirm === true;
  const content = request.editable && typeof answer.content === 'string' ? answer.content : '';
  return { errMsg: wxOk(call.api), confirm, cancel: !confirm, content };
}

/** `wx.showActionSheet` (1 to 6 items), drawn by the phone; dismissed is WeChat's `fail cancel`. */
export async function showActionSheet(call: Call): Promise<WxResult> {
  const { api, args } = call;
  const itemList = args.itemList;
  if (!Array.isArray(itemList) || !itemList.every((item) => typeof item === 'string'))
    throw failure(api, 'parameter error: parameter.itemList should be Array of String');
  if (itemList.length === 0)
    throw failure(api, 'parameter error: parameter.itemList should have at least 1 item');
  if (itemList.length > MAX_ACTION_SHEET_ITEMS)
    throw failure(
      api,
      `parameter error: parameter.itemList should not be large than ${MAX_ACTION_SHEET_ITEMS}`,
    );
  const request = {
    app: call.app.app,
    itemList: itemList as string[],
    alertText: text(call, 'alertText', ''),
    itemColor: color(call, 'itemColor'),
  };
  enter(call, { notInFront: notInFront(call), tapOnly: false });
  let answer: number | null | typeof WITHDRAWN;
  try {
    answer = await call.shell.dialog(call.app, 'actionSheet', request);
  } finally {
    call.shell.release(call.app);
  }
  if (typeof answer !== 'number' || !Number.isInteger(answer) || answer < 0 || answer >= itemList.length)
    throw failure(api, WX_FAIL.CANCEL);
  return { errMsg: wxOk(api), tapIndex: answer };
}
