import {
  type CallEvent,
  encryptedPushBody,
  eventToJson,
  eventToXml,
  isCallEvent,
  type SubscribeEvent,
} from '@beckon/protocol';
import { encryptPush, pushMessageSignature } from '@beckon/protocol/node';
import type { ChangeFact, PopupFact, PushConfigRecord, PushDeliveryRecord, SentFact } from '../store/port.js';
import { signedQuery, withQuery } from './verify.js';

/** Who an event is from and to, as they are when it goes out. */
export interface Parties {
  /** The app's original id (`gh_…`): ToUserName. */
  originalId: string;
  /** The user's openid in the app: FromUserName. */
  openid: string;
}

/** The event in WeChat's shape (spec §5.2–5.4), from the facts the outbox kept. */
export function renderEvent(row: PushDeliveryRecord, to: Parties): SubscribeEvent | CallEvent {
  const head = {
    ToUserName: to.originalId,
    FromUserName: to.openid,
    CreateTime: Math.floor(row.createdAt / 1000),
    MsgType: 'event' as const,
  };
  if (isCallEvent(row.event)) {
    const fields = row.data && typeof row.data === 'object' ? (row.data as Record<string, unknown>) : {};
    return { ...fields, ...head, Event: row.event };
  }
  if (!Array.isArray(row.data) || row.data.length === 0) {
    throw new Error(`outbox row ${row.id}: ${row.event} without items`);
  }
  switch (row.event) {
    case 'subscribe_msg_popup_event':
      return {
        ...head,
        Event: row.event,
        List: (row.data as PopupFact[]).map((d) => ({
          TemplateId: d.templateId,
          SubscribeStatusString: d.status,
          // "0": inside a mini program page, the only place Beckon shows the popup (spec §5.2).
          PopupScene: '0',
        })),
      };
    case 'subscribe_msg_change_event':
      return {
        ...head,
        Event: row.event,
        List: (row.data as ChangeFact[]).map((d) => ({
          TemplateId: d.templateId,
          SubscribeStatusString: 'reject' as const,
        })),
      };
    case 'subscribe_msg_sent_event':
      return {
        ...head,
        Event: row.event,
        List: (row.data as SentFact[]).map((d) => ({
          TemplateId: d.templateId,
          MsgID: d.msgid,
          ErrorCode: '0',
          ErrorStatus: 'success',
        })),
      };
  }
  throw new Error(`outbox row ${row.id}: unknown event ${row.event}`);
}

/** One POST to the developer's server. */
export interface PushRequest {
  url: URL;
  body: string;
  contentType: string;
}

/**
 * The POST for a row under the app's configuration (spec §5.1): the signed query; the body in the chosen
 * format (call events always JSON); in compatible mode the plaintext fields plus `Encrypt`, in secure mode
 * only `ToUserName` and `Encrypt`, both with `encrypt_type=aes` and `msg_signature`.
 */
export function buildPushRequest(
  config: PushConfigRecord,
  row: PushDeliveryRecord,
  to: Parties,
  nowMs: number,
): PushRequest {
  const event = renderEvent(row, to);
  const call = isCallEvent(event.Event);
  const xml = config.format === 'xml' && !call;
  const plain = xml
    ? eventToXml(event as SubscribeEvent)
    : JSON.stringify(call ? event : eventToJson(event as SubscribeEvent));
  const contentType = xml ? 'text/xml' : 'application/json';
  const query = signedQuery(config.token, nowMs);

  if (config.mode === 'plaintext') return { url: withQuery(config.url, query), body: plain, contentType };
  if (!config.encodingAESKey) throw new Error(`${config.mode} mode without an EncodingAESKey`);

  const encrypt = encryptPush(config.encodingAESKey, config.appid, plain);
  const url = withQuery(config.url, {
    ...query,
    encrypt_type: 'aes',
    msg_signature: pushMessageSignature(config.token, query.timestamp!, query.nonce!, encrypt),
  });
  const body = encryptedPushBody(xml ? 'xml' : 'json', config.mode, plain, to.originalId, encrypt);
  return { url, body, contentType };
}
