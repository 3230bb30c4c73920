import {
  type CallEvent,
  isCallEvent,
  isSubscribeEventName,
  type SubscribeEvent,
  type SubscribeEventName,
  XML_LIST_WRAPPER,
} from '@beckon/protocol';
import { PushError } from './errors.js';

export type { CallEvent };

/** What the receiver hands you: a subscribe-message event (List always an array) or a call event. */
export type PushEvent = SubscribeEvent | CallEvent;

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const REQUIRED_ITEM_FIELDS: Record<SubscribeEventName, readonly string[]> = {
  subscribe_msg_popup_event: ['TemplateId', 'SubscribeStatusString', 'PopupScene'],
  subscribe_msg_change_event: ['TemplateId', 'SubscribeStatusString'],
  subscribe_msg_sent_event: ['TemplateId', 'MsgID', 'ErrorCode', 'ErrorStatus'],
};

function text(message: Record<string, unknown>, field: string): string {
  const v = message[field];
  if (typeof v !== 'string' || v === '') throw new PushError('body', `${field} is missing`);
  return v;
}

/** CreateTime: an integer in JSON, a bare number in XML, a string in some doc samples; always a number here. */
function createTime(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new PushError('body', 'CreateTime is not an integer');
  return n;
}

/** One List item: every field a string (numbers in XML and any stray JSON number become their digits). */
function item(event: SubscribeEventName, raw: unknown): Record<string, string> {
  if (!isRecord(raw)) throw new PushError('body', 'a List item is not an object');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' && Number.isSafeInteger(v)) out[k] = String(v);
    else throw new PushError('body', `List item field ${k} is not a string`);
  }
  for (const k of REQUIRED_ITEM_FIELDS[event])
    if (out[k] === undefined) throw new PushError('body', `List item without ${k}`);
  const status = out.SubscribeStatusString;
  if (status !== undefined && status !== 'accept' && status !== 'reject')
    throw new PushError('body', `SubscribeStatusString ${status}`);
  return out;
}

/**
 * The items of an event, always an array: JSON's `List` (an object for one item, an array for several), the
 * older JSON `"SubscribeMsgChangeEvent":[...]` (spec §5.5), and XML's repeated `<List>` in its wrapper.
 */
function listOf(message: Record<string, unknown>, event: SubscribeEventName): unknown[] {
  let list = message.List;
  if (list === undefined) {
    const wrapper = message[XML_LIST_WRAPPER[event]];
    list = isRecord(wrapper) && 'List' in wrapper ? wrapper.List : wrapper;
  }
  if (list === undefined || list === '') throw new PushError('body', 'the event has no List');
  return Array.isArray(list) ? list : [list];
}

/** A decoded push message (from JSON or XML) as a typed event; `unsupported` for any other message. */
export function toPushEvent(message: Record<string, unknown>): PushEvent {
  const event = message.Event;
  if (isSubscribeEventName(event)) {
    return {
      ToUserName: text(message, 'ToUserName'),
      FromUserName: text(message, 'FromUserName'),
      CreateTime: createTime(message.CreateTime),
      MsgType: 'event',
      Event: event,
      List: listOf(message, event).map((raw) => item(event, raw)),
    } as unknown as SubscribeEvent;
  }
  if (isCallEvent(event)) {
    const { Encrypt: _encrypt, ...fields } = message;
    return {
      ...fields,
      ToUserName: text(message, 'ToUserName'),
      FromUserName: text(message, 'FromUserName'),
      CreateTime: createTime(message.CreateTime),
      MsgType: 'event',
      Event: event,
    };
  }
  throw new PushError(
    'unsupported',
    `not a subscribe-message or call event: ${String(event ?? message.MsgType)}`,
  );
}
