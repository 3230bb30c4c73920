import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ChangeEvent,
  type PopupEvent,
  PUSH_FORMATS,
  PUSH_MODES,
  type SentEvent,
} from '@beckon/protocol';
import { encryptPush, pushMessageSignature, pushSignature } from '@beckon/protocol/node';
import Fastify from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { AES_KEY, APP_ID, buildPush, TOKEN } from '../test-support/push.js';
import { PushError } from './errors.js';
import type { PushEvent } from './events.js';
import { createPushReceiver } from './receiver.js';

const receiver = createPushReceiver({ appId: APP_ID, token: TOKEN, encodingAESKey: AES_KEY });

const base = {
  ToUserName: 'gh_123456789abc',
  FromUserName: 'otFpruAK8D-E6EfStSYonYSBZ8_4',
  MsgType: 'event',
} as const;
const popup: PopupEvent = {
  ...base,
  CreateTime: 1610969440,
  Event: 'subscribe_msg_popup_event',
  List: [
    {
      TemplateId: 'VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc',
      SubscribeStatusString: 'accept',
      PopupScene: '0',
    },
    { TemplateId: 'A]]>B<&>', SubscribeStatusString: 'reject', PopupScene: '0' },
  ],
};
const change: ChangeEvent = {
  ...base,
  CreateTime: 1610969450,
  Event: 'subscribe_msg_change_event',
  List: [{ TemplateId: 'VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc', SubscribeStatusString: 'reject' }],
};
const sent: SentEvent = {
  ...base,
  CreateTime: 1610969468,
  Event: 'subscribe_msg_sent_event',
  // Above 2^53: a Number would end in …304 → …300.
  List: [{ TemplateId: 'VRR0', MsgID: '1700827132819554307', ErrorCode: '0', ErrorStatus: 'success' }],
};

function refusal(fn: () => unknown): PushError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PushError) return err;
    throw err;
  }
  throw new Error('expected a PushError');
}

describe('verify (the URL check)', () => {
  test("answers the echostr when the signature is right (spec §5.1's worked example)", () => {
    const check = createPushReceiver({ appId: APP_ID, token: 'AAAAA' });
    const query = {
      signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696',
      timestamp: '1714036504',
      nonce: '1514711492',
      echostr: '8403112371458716386',
    };
    expect(check.verify(query)).toBe('8403112371458716386');
    expect(check.verify(new URLSearchParams(query))).toBe('8403112371458716386');
  });

  test('throws on a wrong or missing signature', () => {
    const query = {
      signature: 'f464b24fc39322e44b38aa78f5edd27bd1441697',
      timestamp: '1714036504',
      nonce: '1',
      echostr: 'x',
    };
    expect(refusal(() => receiver.verify(query)).reason).toBe('signature');
    expect(refusal(() => receiver.verify({ echostr: 'x' })).reason).toBe('signature');
  });
});

describe('parse: every format and mode round-trips to the typed event', () => {
  for (const format of PUSH_FORMATS)
    for (const mode of PUSH_MODES)
      test(`${format}, ${mode}`, () => {
        for (const event of [popup, change, sent]) {
          const push = buildPush(event, format, mode);
          expect(receiver.parse(push), `${event.Event}`).toEqual(event);
        }
      });

  test('without a content type the body tells XML from JSON', () => {
    const xml = buildPush(sent, 'xml', 'secure');
    expect(receiver.parse({ query: xml.query, body: Buffer.from(xml.body) })).toEqual(sent);
    const json = buildPush(sent, 'json', 'plaintext');
    expect(receiver.parse({ query: json.query, body: json.body })).toEqual(sent);
  });

  test('a compatible push without a configured key still parses from its plaintext fields', () => {
    const plainOnly = createPushReceiver({ appId: APP_ID, token: TOKEN });
    const push = buildPush(change, 'json', 'compatible');
    const { encrypt_type: _a, msg_signature: _b, ...query } = push.query;
    expect(plainOnly.parse({ ...push, query })).toEqual(change);
    // …but an encrypted one needs the key.
    expect(refusal(() => plainOnly.parse(push)).reason).toBe('config');
  });

  test('an already-parsed JSON body (a framework body parser ran first) works too', () => {
    const push = buildPush(popup, 'json', 'secure');
    expect(receiver.parse({ ...push, body: JSON.parse(push.body) })).toEqual(popup);
  });
});

describe('parse: WeChat shape quirks (spec §5.5)', () => {
  const signed = (body: string, contentType = 'application/json') => ({
    query: buildPush(sent, 'json', 'plaintext').query,
    body,
    contentType,
  });

  test('one JSON List item (an object) becomes an array', () => {
    const body = JSON.stringify({
      ...base,
      CreateTime: 1,
      Event: 'subscribe_msg_change_event',
      List: change.List[0],
    });
    const event = receiver.parse(signed(body));
    expect(event.List).toEqual(change.List);
  });

  test('the older "SubscribeMsgChangeEvent":[...] shape', () => {
    const body = JSON.stringify({
      ...base,
      CreateTime: 1,
      Event: 'subscribe_msg_change_event',
      SubscribeMsgChangeEvent: change.List,
    });
    expect(receiver.parse(signed(body)).List).toEqual(change.List);
  });

  test('CreateTime as a string becomes a number; a bare numeric MsgID keeps every digit', () => {
    const body =
      '{"ToUserName":"gh_1","FromUserName":"o1","CreateTime":"1620973045","MsgType":"event",' +
      '"Event":"subscribe_msg_sent_event","List":{"TemplateId":"T","MsgID":1864323726461255681,"ErrorCode":0,"ErrorStatus":"success"}}';
    const event = receiver.parse(signed(body)) as SentEvent;
    expect(event.CreateTime).toBe(1620973045);
    expect(event.List).toEqual([
      { TemplateId: 'T', MsgID: '1864323726461255681', ErrorCode: '0', ErrorStatus: 'success' },
    ]);
  });

  test('XML: numbers bare in XML are strings in List items and CreateTime a number, as in JSON', () => {
    const xml =
      '<?xml version="1.0" encoding="utf-8"?>\n<xml>\n  <ToUserName><![CDATA[gh_1]]></ToUserName>\n' +
      '  <FromUserName><![CDATA[o1]]></FromUserName>\n  <CreateTime>1610969468</CreateTime>\n' +
      '  <MsgType><![CDATA[event]]></MsgType>\n  <Event><![CDATA[subscribe_msg_sent_event]]></Event>\n' +
      '  <SubscribeMsgSentEvent>\n    <List>\n      <TemplateId><![CDATA[T]]></TemplateId>\n' +
      '      <MsgID>1700827132819554304</MsgID>\n      <ErrorCode>0</ErrorCode>\n' +
      '      <ErrorStatus><![CDATA[success]]></ErrorStatus>\n    </List>\n  </SubscribeMsgSentEvent>\n</xml>\n';
    expect(receiver.parse(signed(xml, 'text/xml'))).toEqual({
      ToUserName: 'gh_1',
      FromUserName: 'o1',
      CreateTime: 1610969468,
      MsgType: 'event',
      Event: 'subscribe_msg_sent_event',
      List: [{ TemplateId: 'T', MsgID: '1700827132819554304', ErrorCode: '0', ErrorStatus: 'success' }],
    });
  });

  test('call events pass through as JSON, typed by their name', () => {
    const call = {
      ToUserName: 'gh_1',
      FromUserName: 'o1',
      CreateTime: 1700000000,
      MsgType: 'event',
      Event: 'call_ended_event',
      CallId: 'c1',
      Duration: 42,
    };
    for (const mode of PUSH_MODES) {
      const event: PushEvent = receiver.parse(buildPush(call, 'json', mode));
      expect(event).toEqual(call);
    }
  });

  test('other messages are "unsupported", not errors of the sender', () => {
    const body = JSON.stringify({ ...base, CreateTime: 1, MsgType: 'text', Content: 'hi' });
    expect(refusal(() => receiver.parse(signed(body))).reason).toBe('unsupported');
  });
});

describe('parse: refusals', () => {
  test('a tampered signature or msg_signature', () => {
    const push = buildPush(sent, 'xml', 'secure');
    const badSig = {
      ...push,
      query: {
        ...push.query,
        signature: push.query.signature!.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      },
    };
    expect(refusal(() => receiver.parse(badSig))).toMatchObject({
      reason: 'signature',
      message: 'bad signature',
    });
    const badMsgSig = { ...push, query: { ...push.query, msg_signature: pushSignature(TOKEN, '1', '2') } };
    expect(refusal(() => receiver.parse(badMsgSig))).toMatchObject({
      reason: 'signature',
      message: 'bad msg_signature',
    });
    const otherToken = createPushReceiver({ appId: APP_ID, token: 'OtherToken1', encodingAESKey: AES_KEY });
    expect(refusal(() => otherToken.parse(buildPush(sent, 'json', 'plaintext'))).reason).toBe('signature');
  });

  test('a replaced Encrypt, even re-signed, must be for this appid', () => {
    const push = buildPush(sent, 'json', 'secure', { appId: 'wx_other_app_00000' });
    expect(refusal(() => receiver.parse(push)).reason).toBe('appid');
  });

  test('an Encrypt that is not ciphertext, signed properly', () => {
    const { timestamp, nonce } = buildPush(sent, 'json', 'secure').query as {
      timestamp: string;
      nonce: string;
    };
    const encrypt = 'bm90IGNpcGhlcnRleHQ=';
    const query = {
      signature: pushSignature(TOKEN, timestamp, nonce),
      timestamp,
      nonce,
      encrypt_type: 'aes',
      msg_signature: pushMessageSignature(TOKEN, timestamp, nonce, encrypt),
    };
    expect(
      refusal(() => receiver.parse({ query, body: JSON.stringify({ ToUserName: 'gh', Encrypt: encrypt }) }))
        .reason,
    ).toBe('body');
  });

  test('broken bodies and missing fields are "body"', () => {
    const { query } = buildPush(sent, 'json', 'plaintext');
    const ok = JSON.parse(buildPush(sent, 'json', 'plaintext').body);
    for (const body of [
      '{not json',
      '[1,2]',
      '<xml><a>1</b></xml>',
      '<root><a>1</a></root>',
      JSON.stringify({ ...ok, List: undefined }),
      JSON.stringify({ ...ok, CreateTime: 'yesterday' }),
      JSON.stringify({ ...ok, FromUserName: '' }),
      JSON.stringify({ ...ok, List: { TemplateId: 'T' } }),
      JSON.stringify({
        ...ok,
        Event: 'subscribe_msg_popup_event',
        List: { TemplateId: 'T', SubscribeStatusString: 'maybe', PopupScene: '0' },
      }),
      JSON.stringify({ ToUserName: 'gh', Encrypt: encryptPush(AES_KEY, APP_ID, '{}') }),
    ])
      expect(refusal(() => receiver.parse({ query, body })).reason, body.slice(0, 40)).toBe('body');
  });
});

describe('handler on a real node:http server', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
    server = undefined;
  });

  async function serve(
    onEvent: (e: PushEvent) => void | Promise<void>,
    errors: unknown[] = [],
  ): Promise<string> {
    server = createServer(receiver.handler(onEvent, { onError: (e) => errors.push(e) }));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat/push`;
  }

  const post = (url: string, push: { query: Record<string, string>; body: string; contentType: string }) =>
    fetch(`${url}?${new URLSearchParams(push.query)}`, {
      method: 'POST',
      headers: { 'content-type': push.contentType },
      body: push.body,
    });

  test('GET: the URL check answers the echostr; a bad signature 400', async () => {
    const url = await serve(() => {});
    const { query } = buildPush(sent, 'json', 'plaintext');
    const ok = await fetch(`${url}?${new URLSearchParams({ ...query, echostr: '12345' })}`);
    expect([ok.status, await ok.text()]).toEqual([200, '12345']);
    const bad = await fetch(`${url}?${new URLSearchParams({ ...query, signature: 'x', echostr: '12345' })}`);
    expect([bad.status, await bad.text()]).toEqual([400, 'bad signature']);
  });

  test('POST: the event reaches onEvent and the platform gets "success"; refused pushes never reach it', async () => {
    const seen: PushEvent[] = [];
    const url = await serve((e) => void seen.push(e));
    const res = await post(url, buildPush(popup, 'xml', 'secure'));
    expect([res.status, await res.text()]).toEqual([200, 'success']);
    const tampered = buildPush(popup, 'json', 'secure');
    tampered.query.msg_signature = pushSignature(TOKEN, '0', '0');
    const bad = await post(url, tampered);
    expect([bad.status, await bad.text()]).toEqual([400, 'bad msg_signature']);
    const garbage = await post(url, { ...buildPush(popup, 'xml', 'plaintext'), body: '<xml><oops></xml>' });
    expect([garbage.status, await garbage.text()]).toEqual([400, 'body is not well-formed XML']);
    const other = await post(url, {
      ...buildPush(popup, 'json', 'plaintext'),
      body: JSON.stringify({ MsgType: 'text' }),
    });
    expect([other.status, await other.text()]).toEqual([200, 'success']);
    expect(seen).toEqual([popup]);
  });

  test('an onEvent failure is answered "retry" (redelivered), never 5xx, and reported', async () => {
    const errors: unknown[] = [];
    const url = await serve(() => {
      throw new Error('database down');
    }, errors);
    const res = await post(url, buildPush(sent, 'json', 'compatible'));
    expect([res.status, await res.text()]).toEqual([200, 'retry']);
    expect(errors).toHaveLength(1);
  });

  test('a body over 1 MiB is 413; other methods 405', async () => {
    const url = await serve(() => {});
    const big = await post(url, {
      ...buildPush(sent, 'json', 'plaintext'),
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(big.status).toBe(413);
    const put = await fetch(url, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
  });
});

test('mounted in Fastify as the README shows', async () => {
  const seen: PushEvent[] = [];
  const app = Fastify();
  await app.register(async (scope) => {
    // Keep the body raw for this route: the receiver checks and parses it itself.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.route({
      method: ['GET', 'POST'],
      url: '/wechat/push',
      handler: async (request, reply) => {
        const answer = await receiver.respond(
          {
            method: request.method,
            query: request.query as Record<string, string>,
            body: (request.body as string | undefined) ?? '',
            contentType: request.headers['content-type'],
          },
          (event) => void seen.push(event),
        );
        return reply.code(answer.status).type('text/plain').send(answer.body);
      },
    });
  });
  try {
    for (const [format, event] of [
      ['xml', sent],
      ['json', popup],
    ] as const) {
      const push = buildPush(event, format, 'secure');
      const res = await app.inject({
        method: 'POST',
        url: `/wechat/push?${new URLSearchParams(push.query)}`,
        headers: { 'content-type': push.contentType },
        payload: push.body,
      });
      expect([res.statusCode, res.body]).toEqual([200, 'success']);
    }
    expect(seen).toEqual([sent, popup]);
  } finally {
    await app.close();
  }
});
