import { TOKEN_LENGTH } from '@beckon/protocol';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RID_SUFFIX, type TestServer, testServer } from '../test-support/harness.js';
import { CallService } from './service.js';

/**
 * The records API as an app's backend calls it: the real server, its access tokens, and calls made through
 * a CallService on the server's own store.
 */

let s: TestServer;
let phones: CallService;
let sessions = 0;
beforeEach(async () => {
  s = await testServer();
  phones = new CallService(s.ctx, { deliver: () => {} });
});
afterEach(() => s.close());

type App = { appid: string; sdkAppId: number; secret: string };

async function login(app: App, userId: string): Promise<string> {
  const sessionId = `${userId}#${++sessions}`;
  await phones.login({ sessionId, appid: app.appid, sdkAppId: app.sdkAppId, userId });
  return sessionId;
}

/** A call alice makes to bob and cancels; returns its callId. */
async function missedCall(app: App): Promise<string> {
  const alice = await login(app, 'alice');
  const r = await phones.invite(alice, { userIDList: ['bob'], type: 1 });
  await phones.cancel(alice, r.inviteID);
  await phones.logout(alice);
  return r.callId;
}

const get = (url: string) => s.app.inject({ method: 'GET', url });
const secondsOf = (ms: number) => Math.floor(ms / 1000);

/** `GET url` must answer HTTP 200 with this errcode and a WeChat errmsg. */
async function expectError(url: string, errcode: number, message?: RegExp) {
  const res = await get(url);
  expect(res.statusCode).toBe(200);
  const body = res.json();
  expect(body.errcode).toBe(errcode);
  expect(body.errmsg).toMatch(RID_SUFFIX);
  if (message) expect(body.errmsg).toMatch(message);
}

describe('GET /beckon/calls', () => {
  test('newest first, page by page with the cursor, until next is null', async () => {
    const app = await s.newApp();
    const token = await s.tokenFor(app);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await missedCall(app));
      s.clock.advance(60_000);
    }
    const page = async (query: string) => {
      const res = await get(`/beckon/calls?access_token=${token}${query}`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as {
        errcode: number;
        errmsg: string;
        records: { callId: string }[];
        next: string;
      };
      expect(body).toMatchObject({ errcode: 0, errmsg: 'ok' });
      return { ids: body.records.map((r) => r.callId), next: body.next };
    };
    const first = await page('&limit=2');
    expect(first.ids).toEqual([ids[4], ids[3]]);
    expect(first.next).toEqual(expect.any(String));
    const second = await page(`&limit=2&cursor=${encodeURIComponent(first.next)}`);
    expect(second.ids).toEqual([ids[2], ids[1]]);
    const last = await page(`&limit=2&cursor=${encodeURIComponent(second.next)}`);
    expect(last).toEqual({ ids: [ids[0]], next: null });
    // Default limit (20) takes them all; exactly `limit` left gives no further page.
    expect(await page('')).toEqual({ ids: [...ids].reverse(), next: null });
    expect(await page('&limit=5')).toEqual({ ids: [...ids].reverse(), next: null });
    expect((await page('&limit=100')).ids).toHaveLength(5);
  });

  test('from (inclusive) and to (exclusive) filter on the start time, in Unix seconds', async () => {
    const app = await s.newApp();
    const token = await s.tokenFor(app);
    const starts: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      starts.push(s.clock.now());
      ids.push(await missedCall(app));
      s.clock.advance(90_000);
    }
    const list = async (query: string) =>
      (
        (await get(`/beckon/calls?access_token=${token}${query}`)).json() as { records: { callId: string }[] }
      ).records.map((r) => r.callId);
    expect(await list(`&from=${secondsOf(starts[1]!)}&to=${secondsOf(starts[3]!)}`)).toEqual([
      ids[2],
      ids[1],
    ]);
    expect(await list(`&from=${secondsOf(starts[1]!) + 1}`)).toEqual([ids[3], ids[2]]);
    expect(await list(`&to=${secondsOf(starts[1]!)}`)).toEqual([ids[0]]);
    expect(await list(`&from=${secondsOf(starts[3]!) + 1}`)).toEqual([]);
    expect(await list(`&from=${secondsOf(starts[2]!)}&to=${secondsOf(starts[2]!)}`)).toEqual([]);
    // The filter holds across pages.
    const res = await get(`/beckon/calls?access_token=${token}&from=${secondsOf(starts[1]!)}&limit=1`);
    const { next } = res.json() as { next: string };
    expect(await list(`&from=${secondsOf(starts[1]!)}&limit=5&cursor=${encodeURIComponent(next)}`)).toEqual([
      ids[2],
      ids[1],
    ]);
  });

  test("another app's calls are invisible: not listed, and not found by id", async () => {
    const mine = await s.newApp();
    const theirs = await s.newApp();
    const myCall = await missedCall(mine);
    const theirCall = await missedCall(theirs);
    const myToken = await s.tokenFor(mine);
    const theirToken = await s.tokenFor(theirs);
    const listed = (token: string) =>
      get(`/beckon/calls?access_token=${token}`).then((r) =>
        (r.json() as { records: { callId: string }[] }).records.map((c) => c.callId),
      );
    expect(await listed(myToken)).toEqual([myCall]);
    expect(await listed(theirToken)).toEqual([theirCall]);
    await expectError(`/beckon/calls/${theirCall}?access_token=${myToken}`, 91001, /^not found: no call/);
    await expectError(`/beckon/calls/no-such-call?access_token=${myToken}`, 91001);
    expect((await get(`/beckon/calls/${myCall}?access_token=${myToken}`)).json().callId).toBe(myCall);
  });

  test('bad parameters are 91000 naming the parameter, HTTP 200 like the rest of the open API', async () => {
    const app = await s.newApp();
    const token = await s.tokenFor(app);
    const url = (query: string) => `/beckon/calls?access_token=${token}&${query}`;
    for (const limit of ['0', '101', 'abc', '', '-1', '1.5', '1000'])
      await expectError(url(`limit=${limit}`), 91000, /^invalid request: limit must be 1 to 100 rid:/);
    await expectError(url('limit=1&limit=2'), 91000, /limit must be 1 to 100/);
    for (const from of ['abc', '-1', '1.5', '', '2026-01-01T00:00:00Z', '123456789012'])
      await expectError(
        url(`from=${encodeURIComponent(from)}`),
        91000,
        /^invalid request: from must be a time/,
      );
    await expectError(url('to=soon'), 91000, /^invalid request: to must be a time in Unix seconds/);
    for (const cursor of ['garbage', 'MTIz', '', 'x'.repeat(201)])
      await expectError(url(`cursor=${cursor}`), 91000, /^invalid request: cursor is not one this API gave/);
    await expectError(url('cursor=a&cursor=b'), 91000, /cursor is not one this API gave/);
  });
});

describe('GET /beckon/calls/:callId', () => {
  test('the whole record of a call that connected, in the WeChat envelope', async () => {
    const app = await s.newApp();
    const token = await s.tokenFor(app);
    const alice = await login(app, 'alice');
    const bob = await login(app, 'bob');
    const startedAt = new Date(s.clock.now()).toISOString();
    const r = await phones.invite(alice, { userIDList: ['bob', 'carol'], type: 2, roomID: 77 });
    s.clock.advance(2_000);
    const connectedAt = new Date(s.clock.now()).toISOString();
    await phones.accept(bob, r.inviteID);
    await phones.reject(await login(app, 'carol'), r.inviteID);

    const running = (await get(`/beckon/calls/${r.callId}?access_token=${token}`)).json();
    expect(running).toMatchObject({
      errcode: 0,
      errmsg: 'ok',
      status: 'running',
      endedAt: null,
      duration: null,
    });

    s.clock.advance(42_000);
    // Bob alone is left: the call ends with alice's hang-up.
    await phones.hangup(alice);
    const res = await get(`/beckon/calls/${r.callId}?access_token=${token}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      errcode: 0,
      errmsg: 'ok',
      callId: r.callId,
      caller: 'alice',
      callType: 2,
      roomId: 77,
      groupId: null,
      status: 'ended',
      startedAt,
      connectedAt,
      endedAt: new Date(s.clock.now()).toISOString(),
      duration: 42,
      invitees: [
        { userId: 'bob', inviteId: r.inviteID, invitedBy: 'alice', invitedAt: startedAt, result: 'answered' },
        {
          userId: 'carol',
          inviteId: r.inviteID,
          invitedBy: 'alice',
          invitedAt: startedAt,
          result: 'rejected',
        },
      ],
    });
    // The list shows the same view.
    const listed = (await get(`/beckon/calls?access_token=${token}`)).json();
    const { errcode: _e, errmsg: _m, ...view } = res.json();
    expect(listed.records).toEqual([view]);
  });
});

describe('the access token', () => {
  test('41001 missing, 40014 malformed, 40001 unknown, 42001 expired: before any parameter check', async () => {
    const app = await s.newApp();
    const callId = await missedCall(app);
    for (const path of ['/beckon/calls', `/beckon/calls/${callId}`]) {
      await expectError(path, 41001);
      await expectError(`${path}?limit=0&from=x`, 41001);
      await expectError(`${path}?access_token=short&limit=0`, 40014);
      await expectError(`${path}?access_token=${'A'.repeat(TOKEN_LENGTH)}&cursor=zz`, 40001);
    }
    const token = await s.tokenFor(app);
    expect((await get(`/beckon/calls/${callId}?access_token=${token}`)).json().errcode).toBe(0);
    s.clock.advance(2 * 3600_000 + 1);
    await expectError(`/beckon/calls?access_token=${token}`, 42001);
    await expectError(`/beckon/calls/${callId}?access_token=${token}&limit=0`, 42001);
    // A token in a POST body counts as missing; the records API has no POST at all.
    const post = await s.app.inject({
      method: 'POST',
      url: '/beckon/calls',
      payload: { access_token: token },
    });
    expect(post.statusCode).toBe(200);
    expect(post.json().errcode).toBe(40066);
  });

  test('an unknown path under /beckon/ is 40066 invalid url, as under the other open-API prefixes', async () => {
    await expectError('/beckon/call', 40066);
  });
});
