import {
  encryptedPushBody,
  eventToJson,
  eventToXml,
  isSubscribeEventName,
  type PushFormat,
  type PushMode,
  type SubscribeEvent,
} from '@beckon/protocol';
import { encryptPush, pushMessageSignature, pushSignature } from '@beckon/protocol/node';

export const APP_ID = 'wx1234567890abcdef';
export const TOKEN = 'PushToken123';
export const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

export interface BuiltPush {
  query: Record<string, string>;
  body: string;
  contentType: string;
}

/**
 * A push as the platform sends it (spec §5.1): the event in WeChat's JSON or XML (protocol's eventToJson /
 * eventToXml), signed, and in compatible and secure modes encrypted (protocol's encryptPush) for `appId`.
 */
export function buildPush(
  event: SubscribeEvent | Record<string, unknown>,
  format: PushFormat,
  mode: PushMode,
  options: { appId?: string; timestamp?: string; nonce?: string } = {},
): BuiltPush {
  const { appId = APP_ID, timestamp = '1714036504', nonce = '1514711492' } = options;
  const plain =
    format === 'json'
      ? JSON.stringify(isSubscribeEventName(event.Event) ? eventToJson(event as SubscribeEvent) : event)
      : eventToXml(event as SubscribeEvent);
  const query: Record<string, string> = {
    signature: pushSignature(TOKEN, timestamp, nonce),
    timestamp,
    nonce,
  };
  const contentType = format === 'json' ? 'application/json' : 'text/xml';
  if (mode === 'plaintext') return { query, body: plain, contentType };

  const encrypt = encryptPush(AES_KEY, appId, plain);
  query.encrypt_type = 'aes';
  query.msg_signature = pushMessageSignature(TOKEN, timestamp, nonce, encrypt);
  const body = encryptedPushBody(format, mode, plain, String(event.ToUserName), encrypt);
  return { query, body, contentType };
}
