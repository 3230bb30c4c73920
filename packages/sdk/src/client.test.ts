import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openidFor } from '../../server/src/accounts/openids.js';
import {
  grant,
  SHIPPED_KIDS,
  SHIPPED_TID,
  shippedData,
  signUpRecipient,
} from '../../server/src/messages/test-support/send.js';
import { RID_SUFFIX, signUp } from '../../server/src/test-support/harness.js';
import { type ClientOptions, createClient, type WeChatClient } from './client.js';
import { WeChatError, WeChatHttpError } from './errors.js';
import { forceRefresh, type LiveServer, liveServer } from './test-support/live-server.js';
import { MemoryTokenStore, type StoredToken, type TokenStore } from './tokens/store.js';

/** Every client method against the real Beckon server, over HTTP on 127.0.0.1. */

const STABLE = '/cgi-bin/stable_token';
const SEND = '/cgi-bin/message/subscribe/send';
const GETTEMPLATE = '/wxaapi/newtmpl/gettemplate';

let live: LiveServer;
let app: { appid: string; secret: string; name: string };
beforeEach(async () => {
  live = await liveServer();
  app = await live.s.newApp();
});
afterEach(() => live.close());

const clientFor = (options: Partial<ClientOptions> = {}): WeChatClient =>
  createClient({ appId: app.appid, appSecret: app.secret, baseUrl: live.baseUrl, ...options });

/** The server's own answer to a business GET, through `inject` (not counted, not through the client). */
async function serverGet(path: string, query: string): Promise<Record<string, unknown>> {
  const token = await live.s.tokenFor(app);
  const res = await live.s.app.inject({ method: 'GET', url: `${path}?access_token=${token}${query}` });
  return res.json();
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('access token', () => {
  test('stable_token by default, cached: one fetch for many calls, the token the server hands everyone', async () => {
    const client = clientFor();
    const token = await client.getAccessToken();
    expect(await client.getAccessToken()).toBe(token);
    await client.templates.list();
    await client.templates.list();
    expect(live.hits(STABLE)).toBe(1);
    expect(live.hits('/cgi-bin/token')).toBe(0);
    // stable_token (normal mode) gives every caller the current token: another process would get this one.
    const other = await live.s.app.inject({
      method: 'POST',
      url: STABLE,
      payload: { grant_type: 'client_credential', appid: app.appid, secret: app.secret },
    });
    expect(other.json().access_token).toBe(token);
  });

  test('useStableToken: false uses GET /cgi-bin/token', async () => {
    const client = clientFor({ useStableToken: false });
    await client.templates.list();
    expect(live.hits('/cgi-bin/token')).toBe(1);
    expect(live.hits(STABLE)).toBe(0);
  });

  test('one refresh in flight: 50 concurrent calls on a cold client fetch once', async () => {
    // A store without a lock: only the client's own single flight keeps this to one fetch.
    const map = new Map<string, StoredToken>();
    const lockless: TokenStore = {
      get: async (key) => map.get(key) ?? null,
      set: async (key, value) => void map.set(key, value),
      invalidate: async (key, token) => void (map.get(key)?.token === token && map.delete(key)),
    };
    const client = clientFor({ tokenStore: lockless });
    const lists = await Promise.all(Array.from({ length: 50 }, () => client.templates.list()));
    expect(lists.every((l) => Array.isArray(l))).toBe(true);
    expect(live.hits(STABLE)).toBe(1);
    expect(live.hits(GETTEMPLATE)).toBe(50);
  });

  test('wrong credentials: WeChatError with the errcode, errmsg and rid', async () => {
    const err = await rejection(
      createClient({ ...app, appId: app.appid, appSecret: 'wrong', baseUrl: live.baseUrl }).getAccessToken(),
    );
    expect(err).toBeInstanceOf(WeChatError);
    const e = err as WeChatError;
    expect(e.errcode).toBe(40125);
    expect(e.errmsg).toMatch(RID_SUFFIX);
    expect(e.rid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(e.path).toBe(STABLE);
  });
});

describe('a refused token is replaced once, never in a loop', () => {
  test('40001 after someone force-refreshed: invalidate, fetch once, retry once, succeed', async () => {
    const client = clientFor();
    const before = await client.getAccessToken();
    const forced = await forceRefresh(live.s, app);
    expect(await client.templates.list()).toEqual([]);
    expect(await client.getAccessToken()).toBe(forced);
    expect(forced).not.toBe(before);
    expect(live.hits(STABLE)).toBe(2);
    expect(live.hits(GETTEMPLATE)).toBe(2); // the refused call and its one retry
  });

  test('42001 (expired while cached here): one fetch, one retry', async () => {
    const client = clientFor();
    await client.getAccessToken();
    live.s.clock.advance(7_300_000); // the server's clock: past the 2 h lifetime
    expect(await client.templates.list()).toEqual([]);
    expect(live.hits(STABLE)).toBe(2);
    expect(live.hits(GETTEMPLATE)).toBe(2);
  });

  test('when the fresh token is refused too, the 40001 is thrown: two fetches and two calls in all', async () => {
    // Every time this client fetches a token, another party force-refreshes right after: every token it
    // holds is already superseded when it uses it.
    const sabotaging: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (String(input).includes(STABLE)) await forceRefresh(live.s, app);
      return res;
    };
    const client = clientFor({ fetch: sabotaging });
    const err = await rejection(client.templates.list());
    expect(err).toBeInstanceOf(WeChatError);
    expect((err as WeChatError).errcode).toBe(40001);
    expect(live.hits(STABLE)).toBe(2);
    expect(live.hits(GETTEMPLATE)).toBe(2);
  });

  test("compare-and-delete: two clients on one store; the second refusal keeps the first one's new token", async () => {
    const tokenStore = new MemoryTokenStore();
    const a = clientFor({ tokenStore });
    const b = clientFor({ tokenStore });
    expect(await a.getAccessToken()).toBe(await b.getAccessToken());
    await forceRefresh(live.s, app);
    await a.templates.list(); // refused, refetched, stored
    await b.templates.list(); // refused with the old token; reads a's new one from the store
    expect(await b.getAccessToken()).toBe(await a.getAccessToken());
    expect(live.hits(STABLE)).toBe(2); // the first fetch and a's refetch; b fetched nothing
    expect(live.hits(GETTEMPLATE)).toBe(4);
  });
});

describe('subscribe.send', () => {
  const addShipped = (client: WeChatClient) =>
    client.templates.add({ tid: SHIPPED_TID, kidList: SHIPPED_KIDS, sceneDesc: 'ship' });

  test('returns the msgid as an exact bigint above 2^53', async () => {
    const client = clientFor();
    const templateId = await addShipped(client);
    const alice = await signUpRecipient(live.s, app, 'alice');
    await grant(live.s, app, alice, templateId);
    const msgid = await client.subscribe.send({
      touser: alice.openid,
      template_id: templateId,
      data: shippedData() as Record<string, { value: string }>,
      miniprogram_state: 'formal',
      lang: 'zh_CN',
    });
    expect(typeof msgid).toBe('bigint');
    expect(msgid > 2n ** 53n).toBe(true);
    // The server stored the message under this exact id: a rounded one would not find it.
    const stored = await live.s.ctx.store.messages.get(alice.userId, msgid);
    expect(stored?.msgid).toBe(msgid);
    expect(stored?.templateId).toBe(templateId);
  });

  test('a refused send is a WeChatError (43101: no grant)', async () => {
    const client = clientFor();
    const templateId = await addShipped(client);
    const bob = await signUpRecipient(live.s, app, 'bob');
    const err = await rejection(
      client.subscribe.send({ touser: bob.openid, template_id: templateId, data: shippedData() as never }),
    );
    expect(err).toBeInstanceOf(WeChatError);
    expect((err as WeChatError).errcode).toBe(43101);
    expect((err as WeChatError).path).toBe(SEND);
  });
});

describe('templates', () => {
  test("getCategory, getPubTitles, getPubKeywords: the server's answers", async () => {
    const client = clientFor();
    expect(await client.templates.getCategory()).toEqual(
      (await serverGet('/wxaapi/newtmpl/getcategory', '')).data,
    );
    const titles = await client.templates.getPubTitles({ ids: [307, 311], start: 5, limit: 3 });
    const expected = await serverGet('/wxaapi/newtmpl/getpubtemplatetitles', '&ids=307,311&start=5&limit=3');
    expect(titles).toEqual({ count: expected.count, data: expected.data });
    expect(titles.data).toHaveLength(3);
    const keywords = await client.templates.getPubKeywords(SHIPPED_TID);
    const expectedKeywords = await serverGet('/wxaapi/newtmpl/getpubtemplatekeywords', `&tid=${SHIPPED_TID}`);
    expect(keywords).toEqual({ count: expectedKeywords.count, data: expectedKeywords.data });
    expect(keywords.data.map((k) => k.kid)).toEqual(expect.arrayContaining(SHIPPED_KIDS));
  });

  test('add, list, delete', async () => {
    const client = clientFor();
    const priTmplId = await client.templates.add({
      tid: SHIPPED_TID,
      kidList: [1, 2, 3],
      sceneDesc: 'shipping',
    });
    expect(priTmplId).toMatch(/^[\w-]{20,}$/);
    const list = await client.templates.list();
    expect(list).toEqual((await serverGet(GETTEMPLATE, '')).data);
    expect(list.map((t) => t.priTmplId)).toEqual([priTmplId]);
    expect(list[0]).toMatchObject({ title: '订单发货提醒', type: 2 });
    await client.templates.delete(priTmplId);
    expect(await client.templates.list()).toEqual([]);
  });

  test("errors carry the server's code: 200014 unknown tid, 40037 unknown priTmplId", async () => {
    const client = clientFor();
    const bad = await rejection(client.templates.add({ tid: 999_999_999, kidList: [1, 2], sceneDesc: 'x' }));
    expect(bad).toBeInstanceOf(WeChatError);
    expect((bad as WeChatError).errcode).toBe(200014);
    const unknown = await rejection(client.templates.delete('no-such-template-id-000000000'));
    expect((unknown as WeChatError).errcode).toBe(40037);
  });
});

describe('auth.code2Session', () => {
  test("a login code becomes the user's openid and session_key, once", async () => {
    const client = clientFor();
    const user = await signUp(live.s, 'carol');
    const login = await live.s.app.inject({
      method: 'POST',
      url: `/api/apps/${app.appid}/login`,
      headers: { authorization: `Bearer ${user.token}` },
    });
    const code = (login.json() as { code: string }).code;
    const session = await client.auth.code2Session(code);
    expect(session.openid).toBe(await openidFor(live.s.ctx, app.appid, user.userId));
    expect(session.session_key).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(live.hits(STABLE)).toBe(0); // no access token involved
    const again = await rejection(client.auth.code2Session(code));
    expect((again as WeChatError).errcode).toBe(40163);
  });
});

describe('transport failures', () => {
  test('a network error surfaces as the fetch error itself', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    const client = createClient({
      appId: app.appid,
      appSecret: app.secret,
      baseUrl: `http://127.0.0.1:${port}`,
    });
    const err = await rejection(client.getAccessToken());
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe('fetch failed');
  });

  test("a proxy's HTML error page is a WeChatHttpError, not a JSON crash", async () => {
    const proxy: Server = createServer((_req, res) => res.writeHead(502).end('<html>Bad Gateway</html>'));
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const { port } = proxy.address() as AddressInfo;
      const client = createClient({
        appId: app.appid,
        appSecret: app.secret,
        baseUrl: `http://127.0.0.1:${port}/`,
      });
      const err = await rejection(client.getAccessToken());
      expect(err).toBeInstanceOf(WeChatHttpError);
      expect(err).toMatchObject({ status: 502, body: '<html>Bad Gateway</html>', path: STABLE });
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });
});
