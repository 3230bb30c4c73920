import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PushFormat } from '@beckon/protocol';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { usePushWorld } from '../../../server/src/events/test-support/world.js';
import { ADMIN_TOKEN } from '../../../server/src/test-support/harness.js';
import { createPushReceiver, type PushEvent } from '../index.js';
import { AES_KEY, TOKEN } from '../test-support/push.js';

// End to end: Beckon's own dispatcher delivering, in secure mode, into this SDK's receiver behind a server
// that refuses the first two POSTs. Each event must reach the handler exactly once, in order.

describe.each<PushFormat>(['json', 'xml'])('Beckon → SDK receiver, secure mode, %s', (format) => {
  const w = usePushWorld();
  let server: Server;
  let seen: PushEvent[];
  let refused: number;

  beforeEach(async () => {
    seen = [];
    refused = 0;
    const receiver = createPushReceiver({ appId: w.app.appid, token: TOKEN, encodingAESKey: AES_KEY });
    const handle = receiver.handler(async (event) => {
      seen.push(event);
    });
    server = createServer((req, res) => {
      if (req.method === 'POST' && refused < 2) {
        refused++;
        res.writeHead(503).end('busy');
        return;
      }
      handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/push`;
    const res = await w.s.app.inject({
      method: 'PUT',
      url: `/admin/apps/${w.app.appid}/push`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { url, token: TOKEN, encodingAESKey: AES_KEY, format, mode: 'secure' },
    });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('fails twice, then delivered: each event once, in order, List an array, MsgID exact', async () => {
    await w.consent.subscribe(w.app.appid, { tmplIds: [w.a, w.b], accepted: [w.a, w.b] });
    const first = await w.sendToAlice(w.a);
    const second = await w.sendToAlice(w.b);
    expect(first.msgid).toBeGreaterThan(2n ** 53n);

    // Attempt 1 refused; retried after 5 s (refused again), then after 10 s; the rest follow in order.
    await w.dispatcher.drain();
    w.s.clock.advance(5_000);
    await w.dispatcher.drain();
    w.s.clock.advance(10_000);
    await w.dispatcher.drain();
    await w.dispatcher.drain();

    expect(refused).toBe(2);
    expect(seen.map((e) => e.Event)).toEqual([
      'subscribe_msg_popup_event',
      'subscribe_msg_sent_event',
      'subscribe_msg_sent_event',
    ]);
    const [popup, sent1, sent2] = seen;
    expect(popup).toMatchObject({ ToUserName: w.app.originalId, FromUserName: w.alice.openid });
    expect(popup!.List).toEqual([
      { TemplateId: w.a, SubscribeStatusString: 'accept', PopupScene: '0' },
      { TemplateId: w.b, SubscribeStatusString: 'accept', PopupScene: '0' },
    ]);
    expect(sent1!.List).toEqual([
      { TemplateId: w.a, MsgID: first.msgid!.toString(), ErrorCode: '0', ErrorStatus: 'success' },
    ]);
    expect(sent2!.List).toEqual([
      { TemplateId: w.b, MsgID: second.msgid!.toString(), ErrorCode: '0', ErrorStatus: 'success' },
    ]);
    expect(typeof popup!.CreateTime).toBe('number');
  });
});
