import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { SubscribeEvent } from '@beckon/protocol';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  type Recipient,
  shippedData,
  signUpRecipient,
} from '../../../server/src/messages/test-support/send.js';
import { addLibraryTemplate, type TestServer, testServer } from '../../../server/src/test-support/harness.js';
import { createClient, type WeChatClient } from '../client.js';
import { WeChatError } from '../errors.js';
import { MemoryLedgerStore } from './memory-store.js';
import { createLedgerMirror, type LedgerMirror } from './mirror.js';
import { RedisLedgerStore } from './redis-store.js';
import type { LedgerStore } from './store.js';

/*
 * The mirror against the real Beckon server, listening on 127.0.0.1: grants are made through the client
 * API exactly as the platform shell makes them, the mirror learns them from the same answers the mini
 * program would report, and the platform's ledger (its store) is the truth the mirror is compared with.
 */

interface StoreKind {
  name: string;
  open(): LedgerStore;
}
const kinds: StoreKind[] = [{ name: 'memory', open: () => new MemoryLedgerStore() }];
const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL) : undefined;
const redisPrefixes: string[] = [];
if (redis) {
  kinds.push({
    name: 'redis',
    open: () => {
      const prefix = `beckon-test:mirror:${randomUUID()}:`;
      redisPrefixes.push(prefix);
      return new RedisLedgerStore({ redis, prefix });
    },
  });
} else {
  test.skip('ledger mirror on Redis: REDIS_URL not set', () => {});
}
afterAll(async () => {
  if (!redis) return;
  for (const prefix of redisPrefixes) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis.quit();
});

const SHIPPED_TID = 1101;
const VISIT_TID = 1402; // long-term

describe.each(kinds)('ledger mirror ($name store) against the platform', (kind) => {
  let s: TestServer;
  let app: { appid: string; secret: string; originalId: string };
  let tmpl: string;
  let client: WeChatClient;
  let store: LedgerStore;
  let mirror: LedgerMirror;
  /** Calls that reached the platform's send API. */
  let platformSends: number;
  /** Runs after the platform answered a send and before the client sees the answer (a push that wins the race). */
  let beforeAnswer:
    | ((msgid: string, request: { touser: string; template_id: string }) => Promise<void>)
    | undefined;

  beforeEach(async () => {
    s = await testServer();
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    const baseUrl = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
    app = await s.newApp();
    tmpl = await addLibraryTemplate(s, app, SHIPPED_TID, [1, 2, 3, 4, 5]);
    platformSends = 0;
    beforeAnswer = undefined;
    const countingFetch: typeof fetch = async (input, init) => {
      if (!String(input).includes('/cgi-bin/message/subscribe/send')) return fetch(input, init);
      platformSends++;
      const res = await fetch(input, init);
      const msgid = /"msgid":(\d+)/.exec(await res.clone().text())?.[1];
      if (msgid && beforeAnswer) await beforeAnswer(msgid, JSON.parse(String(init?.body)));
      return res;
    };
    client = createClient({ appId: app.appid, appSecret: app.secret, baseUrl, fetch: countingFetch });
    store = kind.open();
    mirror = createLedgerMirror({ client, store });
  });
  afterEach(async () => {
    await store.close();
    await s.close();
  });

  /** The user answers a subscribe popup in the platform shell; the answer is what the mini program gets. */
  async function subscribe(user: Recipient, tmplIds: string[], accepted: string[]) {
    const res = await s.app.inject({
      method: 'POST',
      url: `/api/apps/${app.appid}/subscriptions`,
      headers: { authorization: `Bearer ${user.token}` },
      payload: { tmplIds, accepted },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { errMsg: string } & Record<string, string>;
  }
  /** The user turns the template off on the settings page (the platform zeroes it; no one tells the mirror). */
  async function turnOff(user: Recipient, templateId: string) {
    const res = await s.app.inject({
      method: 'PUT',
      url: `/api/apps/${app.appid}/settings`,
      headers: { authorization: `Bearer ${user.token}` },
      payload: { itemSettings: { [templateId]: 'reject' } },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  const platformCount = async (user: Recipient, templateId = tmpl) =>
    (await s.ctx.store.consent.grants(app.appid, user.userId, [templateId]))[0]?.remaining ?? 0;
  const inboxSize = async (user: Recipient) => (await s.ctx.store.messages.inbox(user.userId, 1000)).length;
  const sendTo = (user: Recipient, data = shippedData()) =>
    mirror.sendWithQuota({ touser: user.openid, template_id: tmpl, data: data as never });
  const caught = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected a WeChatError');
      },
      (err: unknown) => {
        if (!(err instanceof WeChatError)) throw err;
        return err;
      },
    );
  const event = <E extends SubscribeEvent>(
    user: Recipient,
    e: Pick<E, 'Event' | 'List'>,
    at = 1_700_000_000,
  ) =>
    ({ ToUserName: app.originalId, FromUserName: user.openid, CreateTime: at, MsgType: 'event', ...e }) as E;

  test('concurrent sends: the mirror’s counts equal the platform’s at the end, and every grant is used', async () => {
    const grants = [3, 5, 1, 0];
    const users: Recipient[] = [];
    for (const [i, n] of grants.entries()) {
      const user = await signUpRecipient(s, app, `user${i}`);
      users.push(user);
      for (let k = 0; k < n; k++)
        await mirror.reportAccepted(user.openid, await subscribe(user, [tmpl], [tmpl]));
    }
    for (const [i, user] of users.entries()) {
      expect(await mirror.count(user.openid, tmpl)).toBe(grants[i]);
      expect(await platformCount(user)).toBe(grants[i]);
    }

    // Each sent event is pushed (twice: at least once) before the send's answer reaches the mirror.
    let pushed = 0;
    beforeAnswer = async (msgid, request) => {
      const user = users.find((u) => u.openid === request.touser)!;
      const sent = event(user, {
        Event: 'subscribe_msg_sent_event',
        List: [{ TemplateId: request.template_id, MsgID: msgid, ErrorCode: '0', ErrorStatus: 'success' }],
      });
      await Promise.all([mirror.applyEvent(sent), mirror.applyEvent(sent)]);
      pushed++;
    };
    // 10 sends per user, all at once, over real HTTP.
    const outcomes = await Promise.all(
      users.flatMap((user) =>
        Array.from({ length: 10 }, () =>
          sendTo(user).then(
            () => 'ok',
            (err: unknown) => {
              if (!(err instanceof WeChatError)) throw err;
              // A platform answer carries a rid; the mirror's own refusals do not.
              return `${err.errcode}${err.rid ? '' : ' local'}`;
            },
          ),
        ),
      ),
    );
    const tally = (o: string) => outcomes.filter((x) => x === o).length;
    // The mirror never let a send through that the platform refused for want of a grant.
    expect(tally('43101')).toBe(0);
    expect(tally('ok') + tally('43101 local') + tally('43108')).toBe(40);
    expect(pushed).toBe(tally('ok'));

    for (const user of users) {
      expect(await mirror.count(user.openid, tmpl)).toBe(await platformCount(user));
      expect((await store.get(user.openid, tmpl)).reserved).toBe(0);
    }
    // The platform refused some for concurrency (43108) and refunded nothing; the mirror refunded those. Send
    // one at a time until the mirror says no: every grant ends up as exactly one message.
    for (const user of users) {
      for (;;) {
        const err = await sendTo(user).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (err === undefined) continue;
        expect(err).toBeInstanceOf(WeChatError);
        expect((err as WeChatError).errcode).toBe(43101);
        expect((err as WeChatError).rid).toBeUndefined();
        break;
      }
    }
    for (const [i, user] of users.entries()) {
      expect(await mirror.count(user.openid, tmpl)).toBe(0);
      expect(await platformCount(user)).toBe(0);
      expect(await inboxSize(user)).toBe(grants[i]);
    }
  });

  test('data breaking a keyword rule is refused locally with the platform’s 47003, spending nothing', async () => {
    const alice = await signUpRecipient(s, app, 'alice');
    await mirror.reportAccepted(alice.openid, await subscribe(alice, [tmpl], [tmpl]));
    const tooLong = shippedData({ thing2: '一二三四五六七八九十一二三四五六七八九十一' }); // 21 > 20 characters

    const local = await caught(sendTo(alice, tooLong));
    expect(local.errcode).toBe(47003);
    expect(local.errmsg).toBe('argument invalid! data.thing2.value invalid');
    const empty = await caught(sendTo(alice, shippedData({ time5: '' })));
    expect(empty.errmsg).toBe('argument invalid! data.time5.value is empty');
    expect(platformSends).toBe(0);
    expect(await mirror.count(alice.openid, tmpl)).toBe(1);

    // The same rules as the platform's: sent directly, the platform answers the same.
    const remote = await caught(
      client.subscribe.send({ touser: alice.openid, template_id: tmpl, data: tooLong as never }),
    );
    expect(remote.errcode).toBe(47003);
    expect(remote.errmsg).toMatch(/^argument invalid! data\.thing2\.value invalid rid: /);
    expect(await platformCount(alice)).toBe(1);
  });

  test('no send left: 43101 locally, without calling the platform; an unknown template: 40037 locally', async () => {
    const alice = await signUpRecipient(s, app, 'alice');
    const err = await caught(sendTo(alice));
    expect(err.errcode).toBe(43101);
    const unknown = await caught(
      mirror.sendWithQuota({ touser: alice.openid, template_id: 'no-such-template', data: {} }),
    );
    expect(unknown.errcode).toBe(40037);
    expect(platformSends).toBe(0);
  });

  test('a 43101 from the platform sets the count to 0 and is rethrown', async () => {
    const alice = await signUpRecipient(s, app, 'alice');
    for (let i = 0; i < 2; i++)
      await mirror.reportAccepted(alice.openid, await subscribe(alice, [tmpl], [tmpl]));
    await turnOff(alice, tmpl); // the mirror is not told
    expect(await mirror.count(alice.openid, tmpl)).toBe(2);

    const err = await caught(sendTo(alice));
    expect(err.errcode).toBe(43101);
    expect(err.rid).toBeDefined(); // the platform's answer
    expect(platformSends).toBe(1);
    expect(await mirror.count(alice.openid, tmpl)).toBe(0);
    expect(await store.get(alice.openid, tmpl)).toEqual({ count: 0, reserved: 0, active: false });
    // Now refused locally.
    await caught(sendTo(alice));
    expect(platformSends).toBe(1);
  });

  test('a failed send refunds its reservation (a platform error other than 43101)', async () => {
    const alice = await signUpRecipient(s, app, 'alice');
    await mirror.reportAccepted(alice.openid, await subscribe(alice, [tmpl], [tmpl]));
    // A page the platform refuses (41030) passes the local checks (the mirror knows no pages).
    const err = await caught(
      mirror.sendWithQuota({
        touser: alice.openid,
        template_id: tmpl,
        data: shippedData() as never,
        page: 'x'.repeat(1025),
      }),
    );
    expect(err.errcode).toBe(41030);
    expect(await mirror.count(alice.openid, tmpl)).toBe(1);
    expect(await platformCount(alice)).toBe(1);
  });

  test('popup events: paired with the client’s report of the same accept, a redelivery changes nothing', async () => {
    const alice = await signUpRecipient(s, app, 'alice');
    const popup = (at: number) =>
      event(
        alice,
        {
          Event: 'subscribe_msg_popup_event',
          List: [{ TemplateId: tmpl, SubscribeStatusString: 'accept', PopupScene: '0' }],
        },
        at,
      );
    // Accept 1: the client reports it and the platform pushes it.
    await mirror.reportAccepted(alice.openid, await subscribe(alice, [tmpl], [tmpl]));
    expect(await mirror.applyEvent(popup(1_700_000_001))).toBe('applied');
    expect(await mirror.applyEvent(popup(1_700_000_001))).toBe('duplicate');
    expect(await mirror.count(alice.openid, tmpl)).toBe(1);
    // Accept 2: the client never reports; the event alone counts (pushed first, reported later: same).
    await subscribe(alice, [tmpl], [tmpl]);
    expect(await mirror.applyEvent(popup(1_700_000_002))).toBe('applied');
    expect(await mirror.count(alice.openid, tmpl)).toBe(2);
    // Accept 3: the event arrives before the client's report.
    const result = await subscribe(alice, [tmpl], [tmpl]);
    await mirror.applyEvent(popup(1_700_000_003));
    await mirror.reportAccepted(alice.openid, result);
    expect(await mirror.count(alice.openid, tmpl)).toBe(3);
    // A popup reject takes no earlier grant away, on the platform as in the mirror.
    await subscribe(alice, [tmpl], []);
    const reject = event(alice, {
      Event: 'subscribe_msg_popup_event',
      List: [{ TemplateId: tmpl, SubscribeStatusString: 'reject', PopupScene: '0' }],
    });
    expect(await mirror.applyEvent(reject)).toBe('applied');
    expect(await mirror.count(alice.openid, tmpl)).toBe(3);
    expect(await platformCount(alice)).toBe(3);
  });

  test('sent events confirm a spend once: the mirror’s own sends and sends made without it', async () => {
    const alice = await signUpRecipient(s, app, 'alice');
    for (let i = 0; i < 3; i++)
      await mirror.reportAccepted(alice.openid, await subscribe(alice, [tmpl], [tmpl]));
    const sent = (msgid: bigint) =>
      event(alice, {
        Event: 'subscribe_msg_sent_event',
        List: [{ TemplateId: tmpl, MsgID: msgid.toString(), ErrorCode: '0', ErrorStatus: 'success' }],
      });

    const own = await sendTo(alice);
    expect(await mirror.applyEvent(sent(own))).toBe('duplicate'); // the answer already spent it
    expect(await mirror.count(alice.openid, tmpl)).toBe(2);

    // Another service sends without the mirror: only its event tells.
    const other = await client.subscribe.send({
      touser: alice.openid,
      template_id: tmpl,
      data: shippedData() as never,
    });
    expect(await mirror.count(alice.openid, tmpl)).toBe(2);
    expect(await mirror.applyEvent(sent(other))).toBe('applied');
    expect(await mirror.applyEvent(sent(other))).toBe('duplicate'); // at-least-once delivery
    expect(await mirror.count(alice.openid, tmpl)).toBe(1);
    expect(await platformCount(alice)).toBe(1);

    // A failed delivery confirms nothing.
    const failed = event(alice, {
      Event: 'subscribe_msg_sent_event',
      List: [{ TemplateId: tmpl, MsgID: '99', ErrorCode: '10001', ErrorStatus: 'failed:system failed' }],
    });
    expect(await mirror.applyEvent(failed)).toBe('ignored');
    expect(await mirror.count(alice.openid, tmpl)).toBe(1);
  });

  test('change events zero the template; a redelivered old change does not undo a later accept', async () => {
    const alice = await signUpRecipient(s, app, 'alice');
    for (let i = 0; i < 2; i++)
      await mirror.reportAccepted(alice.openid, await subscribe(alice, [tmpl], [tmpl]));
    await turnOff(alice, tmpl);
    const change = event(alice, {
      Event: 'subscribe_msg_change_event',
      List: [{ TemplateId: tmpl, SubscribeStatusString: 'reject' }],
    });
    expect(await mirror.applyEvent(change)).toBe('applied');
    expect(await mirror.count(alice.openid, tmpl)).toBe(0);

    // Turned back on and accepted again (the settings page remembers the choice: this request is silent).
    const on = await s.app.inject({
      method: 'PUT',
      url: `/api/apps/${app.appid}/settings`,
      headers: { authorization: `Bearer ${alice.token}` },
      payload: { itemSettings: { [tmpl]: 'accept' } },
    });
    expect(on.statusCode, on.body).toBe(200);
    await mirror.reportAccepted(alice.openid, await subscribe(alice, [tmpl], [tmpl]));
    expect(await mirror.applyEvent(change)).toBe('duplicate');
    expect(await mirror.count(alice.openid, tmpl)).toBe(1);
    expect(await platformCount(alice)).toBe(1);

    // The client finds the main switch off: every template of the app goes to zero.
    await mirror.reportRefused(alice.openid, 'all');
    expect(await mirror.count(alice.openid, tmpl)).toBe(0);
    // Call events are not the mirror's.
    expect(await mirror.applyEvent({ Event: 'call_invited_event' })).toBe('ignored');
  });

  test('a long-term template: accepted once, sends until turned off', async () => {
    const visit = await addLibraryTemplate(s, app, VISIT_TID, [1, 2, 3]);
    const alice = await signUpRecipient(s, app, 'alice');
    await mirror.reportAccepted(alice.openid, await subscribe(alice, [visit], [visit]));
    expect(await mirror.count(alice.openid, visit)).toBe(Number.POSITIVE_INFINITY);
    const data = {
      name1: { value: '张三' },
      thing2: { value: '心血管内科' },
      time3: { value: '2019年10月1日 15:01' },
    };
    for (let i = 0; i < 3; i++)
      await mirror.sendWithQuota({ touser: alice.openid, template_id: visit, data });
    expect(await inboxSize(alice)).toBe(3);

    await turnOff(alice, visit);
    await mirror.applyEvent(
      event(alice, {
        Event: 'subscribe_msg_change_event',
        List: [{ TemplateId: visit, SubscribeStatusString: 'reject' }],
      }),
    );
    expect(await mirror.count(alice.openid, visit)).toBe(0);
    expect(
      (await caught(mirror.sendWithQuota({ touser: alice.openid, template_id: visit, data }))).errcode,
    ).toBe(43101);
    expect(platformSends).toBe(3);
  });
});
