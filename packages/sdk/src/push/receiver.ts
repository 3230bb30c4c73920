import { ENCODING_AES_KEY_PATTERN } from '@beckon/protocol';
import { decryptPush, pushMessageSignature, pushSignature, signaturesEqual } from '@beckon/protocol/node';
import { PushError } from './errors.js';
import { isRecord, type PushEvent, toPushEvent } from './events.js';
import { type NodeHandler, nodeHandler } from './node-handler.js';
import { parseXml, xmlToObject } from './xml.js';

export interface PushReceiverOptions {
  /** Your appid: an encrypted push must have been encrypted for it. */
  appId: string;
  /** The message-push Token set in the console (or Beckon's admin API). */
  token: string;
  /** The EncodingAESKey (43 characters); required for the compatible and secure modes. */
  encodingAESKey?: string;
}

/** A query string as frameworks hand it over: URLSearchParams or a plain object (repeats as arrays). */
export type PushQuery = URLSearchParams | Record<string, string | string[] | undefined>;

export interface PushInput {
  query: PushQuery;
  /** The raw body (string or Buffer); an object when a framework already parsed the JSON. */
  body: string | Uint8Array | Record<string, unknown>;
  /** Decides XML or JSON; when absent, the body's first character does. */
  contentType?: string | undefined;
}

/** What to answer the platform, for frameworks that want a status and a body rather than a node handler. */
export interface PushAnswer {
  status: number;
  body: string;
}

export type OnPushEvent = (event: PushEvent) => void | Promise<void>;

export interface PushReceiver {
  /**
   * The URL check (`GET`): the `echostr` to answer when the signature is right; throws `PushError` if not.
   * @example res.end(receiver.verify(new URL(req.url!, 'http://x').searchParams));
   */
  verify(query: PushQuery): string;
  /**
   * Checks, decrypts and parses one push; throws `PushError`. `List` is always an array.
   * @example const event = receiver.parse({ query: req.query, body: rawBody, contentType: req.headers['content-type'] });
   */
  parse(input: PushInput): PushEvent;
  /**
   * The whole exchange for any framework: GET → the echostr, POST → `onEvent` then `success`. A refused
   * request gets 400 and a short reason; an unsupported message `success` (so it is not retried); an
   * `onEvent` failure goes to `onError` (default console.error) and is answered 200 `retry`: anything but
   * `success` or empty is redelivered, and the receiver itself never answers 5xx.
   * @example const { status, body } = await receiver.respond({ method, query, body: raw, contentType }, onEvent);
   */
  respond(
    input: PushInput & { method: string },
    onEvent: OnPushEvent,
    onError?: (err: unknown) => void,
  ): Promise<PushAnswer>;
  /**
   * `respond` as a `(req, res)` function for node:http or Express (it reads the raw body itself).
   * @example app.all('/wechat/push', receiver.handler(async (event) => { if (event.Event === 'subscribe_msg_sent_event') … }));
   */
  handler(onEvent: OnPushEvent, options?: { onError?: (err: unknown) => void }): NodeHandler;
}

const defaultOnError = (err: unknown) => console.error('push receiver: onEvent failed', err);

function param(query: PushQuery, name: string): string | undefined {
  if (query instanceof URLSearchParams) return query.get(name) ?? undefined;
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

/** JSON with any bare `MsgID` number quoted first: it is above 2^53 and JSON.parse would round it. */
function parseJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/"MsgID"\s*:\s*(\d+)/g, '"MsgID":"$1"'));
  } catch {
    throw new PushError('body', 'body is not JSON');
  }
  if (!isRecord(value)) throw new PushError('body', 'body is not a JSON object');
  return value;
}

function parseXmlMessage(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    const root = parseXml(text);
    if (root.name !== 'xml') throw new PushError('body', 'XML root is not <xml>');
    value = xmlToObject(root);
  } catch (err) {
    if (err instanceof PushError) throw err;
    throw new PushError('body', 'body is not well-formed XML');
  }
  if (!isRecord(value)) throw new PushError('body', '<xml> is empty');
  return value;
}

function decode(body: string, contentType: string | undefined): Record<string, unknown> {
  const type = contentType?.toLowerCase() ?? '';
  if (type.includes('xml')) return parseXmlMessage(body);
  if (type.includes('json')) return parseJson(body);
  return body.trimStart().startsWith('<') ? parseXmlMessage(body) : parseJson(body);
}

/**
 * A receiver for the platform's message push (WeChat's or Beckon's): checks `signature` (and `msg_signature`
 * when encrypted), decrypts, parses XML or JSON and normalises `List` to an array.
 *
 * @example
 * const receiver = createPushReceiver({ appId, token: 'PushToken1', encodingAESKey });
 * http.createServer(receiver.handler(async (event) => console.log(event.Event, event.List))).listen(3000);
 */
export function createPushReceiver(options: PushReceiverOptions): PushReceiver {
  const { appId, token, encodingAESKey } = options;
  if (!appId || !token) throw new TypeError('createPushReceiver: appId and token are required');
  if (encodingAESKey !== undefined && !ENCODING_AES_KEY_PATTERN.test(encodingAESKey))
    throw new TypeError('createPushReceiver: encodingAESKey must be 43 characters of base64');

  function checkSignature(query: PushQuery): { timestamp: string; nonce: string } {
    const signature = param(query, 'signature');
    const timestamp = param(query, 'timestamp');
    const nonce = param(query, 'nonce');
    if (!signature || !timestamp || !nonce) throw new PushError('signature', 'missing signature');
    if (!signaturesEqual(pushSignature(token, timestamp, nonce), signature))
      throw new PushError('signature', 'bad signature');
    return { timestamp, nonce };
  }

  function verify(query: PushQuery): string {
    checkSignature(query);
    const echostr = param(query, 'echostr');
    if (echostr === undefined) throw new PushError('body', 'missing echostr');
    return echostr;
  }

  function parse({ query, body, contentType }: PushInput): PushEvent {
    const { timestamp, nonce } = checkSignature(query);
    const raw =
      typeof body === 'string'
        ? body
        : body instanceof Uint8Array
          ? Buffer.from(body).toString('utf8')
          : null;
    // A framework's body parser may have handed over anything JSON holds.
    const parsed: unknown = raw === null ? body : decode(raw, contentType);
    if (!isRecord(parsed)) throw new PushError('body', 'body is not a JSON object');
    let message = parsed;
    const encryptType = param(query, 'encrypt_type');
    if (encryptType === 'aes') {
      if (!encodingAESKey) throw new PushError('config', 'encrypted push but no EncodingAESKey configured');
      const encrypt = message.Encrypt;
      if (typeof encrypt !== 'string' || encrypt === '') throw new PushError('body', 'missing Encrypt');
      const msgSignature = param(query, 'msg_signature');
      if (
        !msgSignature ||
        !signaturesEqual(pushMessageSignature(token, timestamp, nonce, encrypt), msgSignature)
      )
        throw new PushError('signature', 'bad msg_signature');
      let inner: { message: string; appid: string };
      try {
        inner = decryptPush(encodingAESKey, encrypt);
      } catch {
        throw new PushError('body', 'Encrypt does not decrypt');
      }
      if (inner.appid !== appId) throw new PushError('appid', 'encrypted for another appid');
      // Compatible mode carries the plaintext too; the decrypted copy is the one msg_signature vouches for.
      message = decode(inner.message, undefined);
    } else if (encryptType !== undefined && encryptType !== 'raw') {
      throw new PushError('body', `unknown encrypt_type ${encryptType}`);
    } else if (message.Event === undefined && typeof message.Encrypt === 'string') {
      throw new PushError('body', 'encrypted push without encrypt_type=aes');
    }
    return toPushEvent(message);
  }

  async function respond(
    input: PushInput & { method: string },
    onEvent: OnPushEvent,
    onError: (err: unknown) => void = defaultOnError,
  ): Promise<PushAnswer> {
    const method = input.method.toUpperCase();
    let event: PushEvent;
    try {
      if (method === 'GET') return { status: 200, body: verify(input.query) };
      if (method !== 'POST') return { status: 405, body: 'method not allowed' };
      event = parse(input);
    } catch (err) {
      if (!(err instanceof PushError)) throw err;
      if (err.reason === 'unsupported') return { status: 200, body: 'success' };
      return { status: 400, body: err.message };
    }
    try {
      await onEvent(event);
    } catch (err) {
      onError(err);
      return { status: 200, body: 'retry' };
    }
    return { status: 200, body: 'success' };
  }

  return {
    verify,
    parse,
    respond,
    handler: (onEvent, handlerOptions = {}) =>
      nodeHandler((input) => respond(input, onEvent, handlerOptions.onError)),
  };
}
