import { decryptPush, pushMessageSignature, pushSignature, signaturesEqual } from '@beckon/protocol/node';
import { describe, expect, test } from 'vitest';
import { ADMIN_TOKEN } from '../test-support/harness.js';
import type { Received } from './test-support/receiver.js';
import { AES_KEY, PUSH_TOKEN, usePushWorld } from './test-support/world.js';

/**
 * The events as the developer's server receives them (spec §5.2–5.5): caused through the real routes,
 * written to the outbox, sent by the dispatcher to a real receiver on 127.0.0.1.
 */

const w = usePushWorld();

const seconds = () => Math.floor(w.s.clock.now() / 1000);
const head = (event: string) => ({
  ToUserName: w.app.originalId,
  FromUserName: w.alice.openid,
  CreateTime: seconds(),
  MsgType: 'event',
  Event: event,
});

async function subscribe(tmplIds: string[], accepted: string[], keepChoice = false) {
  const res = await w.consent.subscribe(w.app.appid, {
    tmplIds,
    accepted,
    ...(keepChoice ? { keepChoice } : {}),
  });
  expect(res.statusCode, res.body).toBe(200);
}
async function settings(body: Record<string, unknown>) {
  const res = await w.consent.changeSettings(w.app.appid, body);
  expect(res.statusCode, res.body).toBe(200);
}
async function stopFromCard(msgid: bigint) {
  const res = await w.s.app.inject({
    method: 'POST',
    url: `/api/inbox/${msgid}/stop`,
    headers: { authorization: `Bearer ${w.alice.token}` },
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** The query of a push: signed with the token; in encrypted modes also the ciphertext's signature. */
function expectSigned(r: Received, encrypt?: string) {
  const { signature, timestamp, nonce } = r.query as Record<string, string>;
  expect(timestamp).toBe(String(seconds()));
  expect(signaturesEqual(signature!, pushSignature(PUSH_TOKEN, timestamp!, nonce!))).toBe(true);
  if (encrypt === undefined) {
    expect(Object.keys(r.query).sort()).toEqual(['nonce', 'signature', 'timestamp']);
  } else {
    expect(Object.keys(r.query).sort()).toEqual([
      'encrypt_type',
      'msg_signature',
      'nonce',
      'signature',
      'timestamp',
    ]);
    expect(r.query.encrypt_type).toBe('aes');
    expect(r.query.msg_signature).toBe(pushMessageSignature(PUSH_TOKEN, timestamp!, nonce!, encrypt));
  }
}

describe('JSON (plaintext): each event exactly, List an object for one item and an array for several', () => {
  test('popup, change and sent events', async () => {
    await w.enable('json', 'plaintext');
    await subscribe([w.a], [w.a]);
    await subscribe([w.a, w.b], [w.b]);
    const { msgid } = await w.sendToAlice();
    expect(msgid).toBeGreaterThan(2n ** 53n);
    await settings({ itemSettings: { [w.b]: 'reject' } });
    // b's rejection is now remembered: asked again, it is answered without a popup, so nothing is pushed.
    await subscribe([w.b], [w.b]);
    await settings({ mainSwitch: false });
    await w.dispatcher.drain();

    const posts = w.receiver.posts();
    for (const p of posts) {
      expect(p.contentType).toBe('application/json');
      expect(p.path).toBe('/wechat/push');
      expectSigned(p);
      // CreateTime is an integer in real pushes (spec §5.5), the item fields strings.
      expect(p.body).toContain(`"CreateTime":${seconds()},`);
    }
    expect(w.jsonPosts()).toEqual([
      {
        ...head('subscribe_msg_popup_event'),
        List: { TemplateId: w.a, SubscribeStatusString: 'accept', PopupScene: '0' },
      },
      {
        ...head('subscribe_msg_popup_event'),
        List: [
          { TemplateId: w.a, SubscribeStatusString: 'reject', PopupScene: '0' },
          { TemplateId: w.b, SubscribeStatusString: 'accept', PopupScene: '0' },
        ],
      },
      {
        ...head('subscribe_msg_sent_event'),
        List: { TemplateId: w.a, MsgID: msgid!.toString(), ErrorCode: '0', ErrorStatus: 'success' },
      },
      { ...head('subscribe_msg_change_event'), List: { TemplateId: w.b, SubscribeStatusString: 'reject' } },
      {
        ...head('subscribe_msg_change_event'),
        List: [w.a, w.b].sort().map((id) => ({ TemplateId: id, SubscribeStatusString: 'reject' })),
      },
    ]);
    // The msgid exceeds 2^53: in the raw body it is the exact decimal text.
    expect(posts[2]!.body).toContain(`"MsgID":"${msgid}"`);
  });

  test('a card stop pushes a change event; remembered (silent) answers push nothing', async () => {
    await w.enable('json', 'plaintext');
    await subscribe([w.a, w.b], [w.a, w.b], true);
    // Both remembered: the next request shows no popup and is answered silently.
    await subscribe([w.a, w.b], []);
    const { msgid } = await w.sendToAlice();
    await stopFromCard(msgid!);
    await w.dispatcher.drain();
    expect(w.jsonPosts().map((p) => [p.Event, p.List])).toEqual([
      [
        'subscribe_msg_popup_event',
        [
          { TemplateId: w.a, SubscribeStatusString: 'accept', PopupScene: '0' },
          { TemplateId: w.b, SubscribeStatusString: 'accept', PopupScene: '0' },
        ],
      ],
      [
        'subscribe_msg_sent_event',
        { TemplateId: w.a, MsgID: msgid!.toString(), ErrorCode: '0', ErrorStatus: 'success' },
      ],
      ['subscribe_msg_change_event', { TemplateId: w.a, SubscribeStatusString: 'reject' }],
    ]);
  });
});

describe('XML (plaintext): the wrappers of spec §5.2–5.4, text in CDATA, numbers bare', () => {
  test('popup, change and sent events', async () => {
    await w.enable('xml', 'plaintext');
    await subscribe([w.a, w.b], [w.a]);
    const { msgid } = await w.sendToAlice();
    await settings({ itemSettings: { [w.a]: 'reject' } });
    await w.dispatcher.drain();

    const t = seconds();
    const common = (event: string) =>
      `<ToUserName><![CDATA[${w.app.originalId}]]></ToUserName><FromUserName><![CDATA[${w.alice.openid}]]></FromUserName>` +
      `<CreateTime>${t}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event>`;
    const posts = w.receiver.posts();
    for (const p of posts) {
      expect(p.contentType).toBe('text/xml');
      expectSigned(p);
    }
    expect(posts.map((p) => p.body)).toEqual([
      `<xml>${common('subscribe_msg_popup_event')}<SubscribeMsgPopupEvent>` +
        `<List><TemplateId><![CDATA[${w.a}]]></TemplateId><SubscribeStatusString><![CDATA[accept]]></SubscribeStatusString><PopupScene>0</PopupScene></List>` +
        `<List><TemplateId><![CDATA[${w.b}]]></TemplateId><SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString><PopupScene>0</PopupScene></List>` +
        '</SubscribeMsgPopupEvent></xml>',
      `<xml>${common('subscribe_msg_sent_event')}<SubscribeMsgSentEvent>` +
        `<List><TemplateId><![CDATA[${w.a}]]></TemplateId><MsgID>${msgid}</MsgID><ErrorCode>0</ErrorCode><ErrorStatus><![CDATA[success]]></ErrorStatus></List>` +
        '</SubscribeMsgSentEvent></xml>',
      `<xml>${common('subscribe_msg_change_event')}<SubscribeMsgChangeEvent>` +
        `<List><TemplateId><![CDATA[${w.a}]]></TemplateId><SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString></List>` +
        '</SubscribeMsgChangeEvent></xml>',
    ]);
  });
});

describe('encrypted modes: WXBizMsgCrypt (protocol decryptPush) with msg_signature', () => {
  test('secure JSON: only ToUserName and Encrypt; the plaintext inside, encrypted for the appid', async () => {
    await w.enable('json', 'secure');
    await subscribe([w.a], [w.a]);
    await w.dispatcher.drain();
    const [post] = w.receiver.posts();
    const body = JSON.parse(post!.body) as { ToUserName: string; Encrypt: string };
    expect(Object.keys(body)).toEqual(['ToUserName', 'Encrypt']);
    expect(body.ToUserName).toBe(w.app.originalId);
    expectSigned(post!, body.Encrypt);
    const inner = decryptPush(AES_KEY, body.Encrypt);
    expect(inner.appid).toBe(w.app.appid);
    expect(JSON.parse(inner.message)).toEqual({
      ...head('subscribe_msg_popup_event'),
      List: { TemplateId: w.a, SubscribeStatusString: 'accept', PopupScene: '0' },
    });
  });

  test('secure XML: <xml><ToUserName/><Encrypt/></xml> around the event XML', async () => {
    await w.enable('xml', 'secure');
    const { msgid } = await (async () => {
      await subscribe([w.a], [w.a]);
      return w.sendToAlice();
    })();
    await w.dispatcher.drain();
    const sent = w.receiver.posts()[1]!;
    const match =
      /^<xml><ToUserName><!\[CDATA\[(gh_[0-9a-f]+)\]\]><\/ToUserName><Encrypt><!\[CDATA\[([A-Za-z0-9+/=]+)\]\]><\/Encrypt><\/xml>$/.exec(
        sent.body,
      );
    expect(match, sent.body).not.toBeNull();
    expect(match![1]).toBe(w.app.originalId);
    expectSigned(sent, match![2]);
    const inner = decryptPush(AES_KEY, match![2]!);
    expect(inner.appid).toBe(w.app.appid);
    expect(inner.message).toContain(`<MsgID>${msgid}</MsgID>`);
    expect(inner.message).toMatch(/^<xml><ToUserName><!\[CDATA\[gh_/);
  });

  test('compatible: the plaintext fields and Encrypt side by side, in JSON and in XML', async () => {
    await w.enable('json', 'compatible');
    await subscribe([w.a], [w.a]);
    await w.dispatcher.drain();
    const json = JSON.parse(w.receiver.posts()[0]!.body) as Record<string, unknown> & { Encrypt: string };
    expectSigned(w.receiver.posts()[0]!, json.Encrypt);
    const { Encrypt, ...fields } = json;
    expect(fields).toEqual({
      ...head('subscribe_msg_popup_event'),
      List: { TemplateId: w.a, SubscribeStatusString: 'accept', PopupScene: '0' },
    });
    expect(JSON.parse(decryptPush(AES_KEY, Encrypt).message)).toEqual(fields);

    await w.enable('xml', 'compatible');
    await settings({ itemSettings: { [w.a]: 'reject' } });
    await w.dispatcher.drain();
    const xml = w.receiver.posts()[1]!.body;
    const encrypt = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt><\/xml>$/.exec(xml)![1]!;
    expectSigned(w.receiver.posts()[1]!, encrypt);
    const plain = decryptPush(AES_KEY, encrypt).message;
    expect(xml).toBe(plain.replace(/<\/xml>$/, `<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`));
    expect(plain).toContain('<SubscribeMsgChangeEvent><List>');
  });
});

describe('call events (Beckon): JSON whatever the format, through the same outbox', () => {
  test('enqueued by a module, sent as JSON with the common head, encrypted like the rest', async () => {
    await w.enable('xml', 'secure');
    const row = await w.s.ctx.store.push.enqueue({
      appid: w.app.appid,
      userId: w.alice.userId,
      event: 'call_ended_event',
      data: { CallId: 'c-1', Duration: 42 },
      at: w.s.clock.now(),
    });
    expect(row?.status).toBe('pending');
    await w.dispatcher.drain();
    const [post] = w.receiver.posts();
    expect(post!.contentType).toBe('application/json');
    const body = JSON.parse(post!.body) as { ToUserName: string; Encrypt: string };
    expectSigned(post!, body.Encrypt);
    expect(JSON.parse(decryptPush(AES_KEY, body.Encrypt).message)).toEqual({
      CallId: 'c-1',
      Duration: 42,
      ...head('call_ended_event'),
    });
  });
});

describe('the outbox is written in the same transaction as its cause, and only then', () => {
  const outbox = () => w.s.ctx.store.push.deliveries(w.app.appid, { limit: 100 });

  test('a refused send, a refused consent and a setting that changes nothing write no event', async () => {
    await w.enable();
    // No grant: 43101, nothing sent, nothing pushed.
    expect((await w.sendToAlice()).errcode).toBe(43101);
    // Switched off: the popup's answer is refused (20004) and records nothing.
    await settings({ mainSwitch: false });
    const before = (await outbox()).length;
    const refused = await w.consent.subscribe(w.app.appid, { tmplIds: [w.a], accepted: [w.a] });
    expect(refused.json()).toMatchObject({ errCode: 20004 });
    await settings({ mainSwitch: false });
    expect((await outbox()).length).toBe(before);
    // The switch-off had nothing to reject (no grant rows): no change event either.
    expect(await outbox()).toEqual([]);
  });

  test('push disabled writes nothing; enabled again, only later causes are pushed', async () => {
    await subscribe([w.a], [w.a]);
    expect((await w.sendToAlice()).errcode).toBe(0);
    expect(await outbox()).toEqual([]);
    await w.enable();
    await subscribe([w.b], [w.b]);
    const off = await w.s.app.inject({
      method: 'DELETE',
      url: `/admin/apps/${w.app.appid}/push`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(off.statusCode).toBe(200);
    await settings({ itemSettings: { [w.a]: 'reject' } });
    await w.dispatcher.drain();
    expect(w.receiver.posts()).toEqual([]);
    expect((await outbox()).map((r) => [r.event, r.status, r.lastError])).toEqual([
      ['subscribe_msg_popup_event', 'failed', 'push disabled'],
    ]);
  });

  test('a send and its event commit together: when the event cannot be written, nothing is sent', async () => {
    await w.enable();
    await subscribe([w.a], [w.a]);
    // The event's insert fails inside the send's savepoint (as a full disk would).
    const db = (w.s.ctx.store.push as unknown as { db: import('better-sqlite3').Database }).db;
    db.exec(`CREATE TRIGGER fail_push AFTER INSERT ON push_outbox WHEN NEW.event = 'subscribe_msg_sent_event'
      BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    expect((await w.sendToAlice()).errcode).toBe(-1);
    db.exec('DROP TRIGGER fail_push');
    expect((await outbox()).map((r) => r.event)).toEqual(['subscribe_msg_popup_event']);
    expect(await w.s.ctx.store.messages.inbox(w.alice.userId, 10)).toEqual([]);
    // The grant was not spent either: the next send goes, and is pushed.
    expect((await w.sendToAlice()).errcode).toBe(0);
    expect((await outbox()).map((r) => r.event)).toEqual([
      'subscribe_msg_sent_event',
      'subscribe_msg_popup_event',
    ]);
  });
});
