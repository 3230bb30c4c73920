import { pushSignature, signaturesEqual } from '@beckon/protocol/node';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ADMIN_TOKEN, RID_SUFFIX, type TestServer, testServer } from '../test-support/harness.js';
import { deadUrl, type Receiver, startReceiver } from './test-support/receiver.js';
import { AES_KEY } from './test-support/world.js';
import { verifyPushUrl } from './verify.js';

let s: TestServer;
let app: { appid: string; secret: string };
let receiver: Receiver;

beforeEach(async () => {
  s = await testServer();
  app = await s.newApp();
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
  await s.close();
});

const admin = (method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object, token = ADMIN_TOKEN) =>
  s.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  });
const put = (body: object, appid = app.appid) => admin('PUT', `/admin/apps/${appid}/push`, body);
const show = async () => (await admin('GET', `/admin/apps/${app.appid}/push`)).json();

describe('PUT /admin/apps/:appid/push: the URL check (spec §5.1) before anything is kept', () => {
  test('a receiver that answers the echostr is enabled; the check is signed with the token', async () => {
    const res = await put({ url: receiver.url, token: 'Token123', encodingAESKey: AES_KEY, mode: 'secure' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      appid: app.appid,
      enabled: true,
      url: receiver.url,
      token: 'Token123',
      encodingAESKeyTail: 'DEFG',
      format: 'json',
      mode: 'secure',
      verifiedAt: new Date(s.clock.now()).toISOString(),
    });
    expect(await show()).toEqual(res.json());
    // The raw key is never shown again.
    expect(JSON.stringify(await show())).not.toContain(AES_KEY);

    expect(receiver.received).toHaveLength(1);
    const [check] = receiver.received;
    expect(check!.method).toBe('GET');
    expect(check!.path).toBe('/wechat/push');
    expect(Object.keys(check!.query).sort()).toEqual(['echostr', 'nonce', 'signature', 'timestamp']);
    const { signature, timestamp, nonce, echostr } = check!.query as Record<string, string>;
    expect(timestamp).toBe(String(Math.floor(s.clock.now() / 1000)));
    expect(nonce).toMatch(/^\d{10}$/);
    expect(echostr).toMatch(/^\d{19}$/);
    expect(signaturesEqual(signature!, pushSignature('Token123', timestamp!, nonce!))).toBe(true);
  });

  test('a wrong answer (other text, echostr plus a newline, an error status) is 93004 and keeps nothing', async () => {
    const answers = [
      (_q: Record<string, string>) => ({ body: 'success' }),
      (q: Record<string, string>) => ({ body: `${q.echostr}\n` }),
      (q: Record<string, string>) => ({ status: 500, body: q.echostr }),
    ];
    for (const answer of answers) {
      receiver.answer((r) => answer(r.query));
      const res = await put({ url: receiver.url, token: 'Token123' });
      expect(res.statusCode).toBe(502);
      expect(res.json()).toEqual({
        errcode: 93004,
        errmsg: expect.stringMatching(/^message push URL did not answer with the echostr: HTTP \d+ /),
      });
      expect(res.json().errmsg).toMatch(RID_SUFFIX);
      expect(await show()).toEqual({ appid: app.appid, enabled: false });
    }
  });

  test('an unreachable URL is 93002 and keeps nothing; a failed change keeps the previous configuration', async () => {
    const dead = await deadUrl();
    const res = await put({ url: dead, token: 'Token123' });
    expect(res.statusCode).toBe(502);
    expect(res.json().errcode).toBe(93002);
    expect(res.json().errmsg).toContain(`message push URL could not be reached: ${dead} (`);
    expect(res.json().errmsg).toContain('ECONNREFUSED');
    expect(await show()).toEqual({ appid: app.appid, enabled: false });

    expect((await put({ url: receiver.url, token: 'Token123', format: 'xml' })).statusCode).toBe(200);
    const before = await show();
    expect((await put({ url: dead, token: 'Other999' })).statusCode).toBe(502);
    expect(await show()).toEqual(before);
  });

  test('no answer within 5 s is 93003 and keeps nothing', async () => {
    receiver.answer(() => 'hang');
    const started = Date.now();
    const res = await put({ url: receiver.url, token: 'Token123' });
    const took = Date.now() - started;
    expect(res.statusCode).toBe(504);
    expect(res.json().errcode).toBe(93003);
    expect(res.json().errmsg).toMatch(/^message push URL did not answer within 5 s: /);
    expect(took).toBeGreaterThanOrEqual(4_900);
    expect(took).toBeLessThan(7_000);
    expect(await show()).toEqual({ appid: app.appid, enabled: false });
  });

  test('verifyPushUrl itself: a short timeout, a cut connection', async () => {
    receiver.answer(() => 'hang');
    await expect(
      verifyPushUrl({ url: receiver.url, token: 'abc' }, { now: 0, timeoutMs: 200 }),
    ).rejects.toMatchObject({
      code: 93003,
    });
    receiver.answer(() => 'drop');
    await expect(verifyPushUrl({ url: receiver.url, token: 'abc' }, { now: 0 })).rejects.toMatchObject({
      code: 93002,
    });
    receiver.answer((r) => ({ body: r.query.echostr }));
    await expect(verifyPushUrl({ url: receiver.url, token: 'abc' }, { now: 0 })).resolves.toBeUndefined();
  });

  test('bad configurations are 93001 naming the field, checked before the URL is called', async () => {
    const cases: [object, RegExp][] = [
      [{ url: 'ftp://x.example.com/', token: 'Token123' }, /url must start with http:\/\/ or https:\/\//],
      [{ url: 'not a url', token: 'Token123' }, /url is not a URL/],
      [{ url: 'https://u:p@x.example.com/', token: 'Token123' }, /credentials/],
      [{ url: receiver.url, token: 'to' }, /token must be 3 to 32 letters and digits/],
      [{ url: receiver.url, token: 'tok-en' }, /token must be 3 to 32 letters and digits/],
      [{ url: receiver.url, token: 'Token123', mode: 'secure' }, /encodingAESKey is required in secure mode/],
      [
        { url: receiver.url, token: 'Token123', mode: 'compatible', encodingAESKey: 'short' },
        /encodingAESKey must be 43/,
      ],
      [
        { url: receiver.url, token: 'Token123', format: 'yaml' },
        /body\/format must be equal to one of the allowed values/,
      ],
      [{ url: receiver.url, token: 'Token123', extra: 1 }, /must NOT have additional properties/],
      [{ token: 'Token123' }, /must have required property 'url'/],
    ];
    for (const [body, message] of cases) {
      const res = await put(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errcode, JSON.stringify(body)).toBe(93001);
      expect(res.json().errmsg).toMatch(/^invalid message push configuration: /);
      expect(res.json().errmsg).toMatch(message);
    }
    expect(receiver.received).toEqual([]);
    expect(await show()).toEqual({ appid: app.appid, enabled: false });
  });

  test('an unknown app is 91003; no admin token is 91002', async () => {
    const res = await put({ url: receiver.url, token: 'Token123' }, 'wx0000000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json().errcode).toBe(91003);
    const anon = await admin('GET', `/admin/apps/${app.appid}/push`, undefined, 'wrong');
    expect(anon.statusCode).toBe(401);
    expect(anon.json().errcode).toBe(91002);
    expect((await admin('GET', '/admin/apps/wx0000000000000000/push/deliveries')).json().errcode).toBe(91003);
    expect(receiver.received).toEqual([]);
  });
});

describe('GET and DELETE /admin/apps/:appid/push', () => {
  test('omitting the key keeps the stored one, null removes it; DELETE disables (twice is fine)', async () => {
    expect(
      (await put({ url: receiver.url, token: 'Token123', encodingAESKey: AES_KEY, mode: 'secure' }))
        .statusCode,
    ).toBe(200);
    const moved = await put({ url: `${receiver.url}?v=2`, token: 'Token456', mode: 'compatible' });
    expect(moved.json()).toMatchObject({
      url: `${receiver.url}?v=2`,
      encodingAESKeyTail: 'DEFG',
      mode: 'compatible',
    });
    expect((await s.ctx.store.push.getConfig(app.appid))?.encodingAESKey).toBe(AES_KEY);
    // The URL's own query is kept next to the check's.
    expect(receiver.received[1]!.query.v).toBe('2');
    const cleared = await put({ url: receiver.url, token: 'Token456', encodingAESKey: null });
    expect(cleared.json()).toMatchObject({ encodingAESKeyTail: null, mode: 'plaintext' });

    const off = await admin('DELETE', `/admin/apps/${app.appid}/push`);
    expect(off.statusCode).toBe(200);
    expect(off.json()).toEqual({ appid: app.appid, enabled: false });
    expect(await show()).toEqual({ appid: app.appid, enabled: false });
    expect((await admin('DELETE', `/admin/apps/${app.appid}/push`)).json()).toEqual({
      appid: app.appid,
      enabled: false,
    });
  });
});

describe('GET /admin/apps/:appid/push/deliveries', () => {
  test('the log: newest first, filtered by status, paged with before; bad queries are 91000', async () => {
    expect((await put({ url: receiver.url, token: 'Token123' })).statusCode).toBe(200);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const row = await s.ctx.store.push.enqueue({
        appid: app.appid,
        userId: `user-${i}`,
        openid: `openid-${i}`,
        event: 'call_ended_event',
        data: { duration: i },
        at: s.clock.now() + i * 1000,
      });
      ids.push(row!.id);
    }
    const log = async (query = '') => {
      const res = await admin('GET', `/admin/apps/${app.appid}/push/deliveries${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().deliveries as { id: number }[];
    };
    const all = await log();
    expect(all[0]).toEqual({
      id: ids[2],
      event: 'call_ended_event',
      openid: 'openid-2',
      status: 'pending',
      attempts: 0,
      lastStatus: null,
      lastError: null,
      createdAt: new Date(s.clock.now() + 2000).toISOString(),
      deliveredAt: null,
      nextAttemptAt: new Date(s.clock.now() + 2000).toISOString(),
    });
    expect(all.map((d) => d.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect((await log('?limit=1')).map((d) => d.id)).toEqual([ids[2]]);
    expect((await log(`?before=${ids[2]}&limit=5`)).map((d) => d.id)).toEqual([ids[1], ids[0]]);
    expect(await log('?status=delivered')).toEqual([]);
    expect((await log('?status=pending')).length).toBe(3);
    for (const q of ['?status=lost', '?limit=x', '?before=-1', '?other=1']) {
      const res = await admin('GET', `/admin/apps/${app.appid}/push/deliveries${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().errcode, q).toBe(91000);
    }
  });
});
