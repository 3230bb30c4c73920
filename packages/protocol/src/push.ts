/**
 * Message push to the developer's server (spec §5): the configuration, the three subscribe-message events
 * in WeChat's exact JSON and XML shapes, and the names of the call events. Signing and encryption are in
 * node/push-crypto.ts (`@beckon/protocol/node`).
 */

export const PUSH_FORMATS = ['json', 'xml'] as const;
/** The data format chosen in the console (spec §5.1). */
export type PushFormat = (typeof PUSH_FORMATS)[number];
/** 明文 plaintext, 兼容 compatible (plaintext fields and `Encrypt`), 安全 secure (only `Encrypt`). */
export const PUSH_MODES = ['plaintext', 'compatible', 'secure'] as const;
export type PushMode = (typeof PUSH_MODES)[number];

/** An app's message-push configuration (admin API `PUT /admin/apps/:appid/push`). */
export interface PushConfig {
  url: string;
  /** 3–32 letters and digits, as WeChat's console requires. */
  token: string;
  /** 43 characters of base64 (without the trailing `=`): 32 bytes of AES key. Required unless plaintext. */
  encodingAESKey: string | null;
  format: PushFormat;
  mode: PushMode;
}

export const PUSH_TOKEN_PATTERN = /^[A-Za-z0-9]{3,32}$/;
export const ENCODING_AES_KEY_PATTERN = /^[A-Za-z0-9+/]{43}$/;

/** How long the developer's server has to answer (spec §5.1), and what counts as accepted. */
export const PUSH_TIMEOUT_MS = 5_000;
export const isPushAccepted = (status: number, body: string): boolean =>
  status >= 200 && status < 300 && (body.trim() === '' || body.trim() === 'success');

export const SUBSCRIBE_EVENTS = [
  'subscribe_msg_popup_event',
  'subscribe_msg_change_event',
  'subscribe_msg_sent_event',
] as const;
export type SubscribeEventName = (typeof SUBSCRIBE_EVENTS)[number];

export const isSubscribeEventName = (event: unknown): event is SubscribeEventName =>
  (SUBSCRIBE_EVENTS as readonly unknown[]).includes(event);

/** One template of a popup (spec §5.2). `PopupScene` "0": inside a mini program page. */
export interface PopupItem {
  TemplateId: string;
  SubscribeStatusString: 'accept' | 'reject';
  PopupScene: string;
}
/** One template of a change: only rejections are pushed (spec §5.3). */
export interface ChangeItem {
  TemplateId: string;
  SubscribeStatusString: 'reject';
}
/** The final result of one send (spec §5.4); `MsgID` is the send's msgid as a decimal string. */
export interface SentItem {
  TemplateId: string;
  MsgID: string;
  ErrorCode: string;
  ErrorStatus: string;
}

interface EventBase<E extends SubscribeEventName, Item> {
  /** The app's original id (`gh_…`). */
  ToUserName: string;
  /** The user's openid. */
  FromUserName: string;
  /** Seconds; an integer in real JSON pushes (spec §5.5). */
  CreateTime: number;
  MsgType: 'event';
  Event: E;
  /** Always an array here; on the wire one item is written as an object (spec §5.5). */
  List: Item[];
}

export type PopupEvent = EventBase<'subscribe_msg_popup_event', PopupItem>;
export type ChangeEvent = EventBase<'subscribe_msg_change_event', ChangeItem>;
export type SentEvent = EventBase<'subscribe_msg_sent_event', SentItem>;
export type SubscribeEvent = PopupEvent | ChangeEvent | SentEvent;

/** The XML element that wraps each event's `<List>` items (spec §5.2–5.4). */
export const XML_LIST_WRAPPER: Record<SubscribeEventName, string> = {
  subscribe_msg_popup_event: 'SubscribeMsgPopupEvent',
  subscribe_msg_change_event: 'SubscribeMsgChangeEvent',
  subscribe_msg_sent_event: 'SubscribeMsgSentEvent',
};

/** Fields written as numbers in XML (strings in JSON): spec §5.5. */
const XML_NUMBER_FIELDS = new Set(['CreateTime', 'PopupScene', 'MsgID', 'ErrorCode']);

/**
 * The JSON body WeChat pushes: `List` is an object when there is one item and an array when there are
 * several; `CreateTime` an integer; every item field a string.
 */
export function eventToJson(event: SubscribeEvent): Record<string, unknown> {
  return { ...event, List: event.List.length === 1 ? event.List[0] : event.List };
}

const cdata = (text: string) => `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
const xmlField = (name: string, value: string | number) =>
  `<${name}>${XML_NUMBER_FIELDS.has(name) ? String(value) : cdata(String(value))}</${name}>`;

/** The XML body WeChat pushes: text in CDATA, numbers bare, each item a `<List>` inside its wrapper. */
export function eventToXml(event: SubscribeEvent): string {
  const head = (['ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Event'] as const)
    .map((k) => xmlField(k, event[k]))
    .join('');
  const items = (event.List as unknown as Record<string, string>[])
    .map(
      (item) =>
        `<List>${Object.entries(item)
          .map(([k, v]) => xmlField(k, v))
          .join('')}</List>`,
    )
    .join('');
  const wrapper = XML_LIST_WRAPPER[event.Event];
  return `<xml>${head}<${wrapper}>${items}</${wrapper}></xml>`;
}

/**
 * The body of an encrypted push (spec §5.1), `plain` being the event's JSON or XML text and `encrypt` its
 * `encryptPush`: compatible mode keeps the plaintext fields and adds `Encrypt`; secure mode carries only
 * `ToUserName` and `Encrypt`.
 */
export function encryptedPushBody(
  format: PushFormat,
  mode: Exclude<PushMode, 'plaintext'>,
  plain: string,
  toUserName: string,
  encrypt: string,
): string {
  if (format === 'xml') {
    return mode === 'compatible'
      ? plain.replace(/<\/xml>$/, `<Encrypt>${cdata(encrypt)}</Encrypt></xml>`)
      : `<xml><ToUserName>${cdata(toUserName)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt></xml>`;
  }
  return JSON.stringify(
    mode === 'compatible'
      ? { ...(JSON.parse(plain) as object), Encrypt: encrypt }
      : { ToUserName: toUserName, Encrypt: encrypt },
  );
}

/**
 * Call events (issue: calling), pushed as JSON only. Beckon's own: WeChat has no call events. Named here
 * so the outbox and the SDK's receiver carry them like the subscribe events.
 */
export const CALL_EVENTS = [
  'call_invited_event',
  'call_answered_event',
  'call_rejected_event',
  'call_busy_event',
  'call_no_answer_event',
  'call_cancelled_event',
  'call_ended_event',
] as const;
export type CallEventName = (typeof CALL_EVENTS)[number];
export type PushEventName = SubscribeEventName | CallEventName;

export const isCallEvent = (event: unknown): event is CallEventName =>
  (CALL_EVENTS as readonly unknown[]).includes(event);

/**
 * A call event on the wire: WeChat's event head (`FromUserName` is the RTC userID the event is about) and
 * the calling module's fields, PascalCase.
 */
export interface CallEvent {
  ToUserName: string;
  FromUserName: string;
  CreateTime: number;
  MsgType: 'event';
  Event: CallEventName;
  [field: string]: unknown;
}
