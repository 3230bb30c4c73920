import type { InboxPage, ServerFrame } from '@beckon/protocol';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { addTemplate, type SignedInUser, signUp } from '../consent/test-support/shell.js';
import { userChannel } from '../gateway/push.js';
import { expectApiError } from '../test-support/client-api.js';
import { type TestServer, testServer } from '../test-support/harness.js';
import { deliverCard, MSGID_BASE } from './test-support/inbox.js';

let s: TestServer;
let app: { appid: string; secret: string; name: string };
let other: { appid: string; secret: string; name: string };
let alice: SignedInUser;
let bob: SignedInUser;
let tmpl: string;
let otherTmpl: string;
beforeEach(async () => {
  s = await testServer();
  app = await s.newApp();
  other = await s.newApp('minigame');
  alice = await signUp(s, 'alice');
  bob = await signUp(s, 'bob');
  tmpl = await addTemplate(s, app, 1101);
  otherTmpl = await addTemplate(s, other, 1102);
});
afterEach(() => s.close());

const get = (user: SignedInUser | undefined, url: string) =>
  s.app.inject({
    method: 'GET',
    url,
    headers: user ? { authorization: `Bearer ${user.token}` } : {},
  });
const post = (user: SignedInUser, url: string) =>
  s.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${user.token}` } });

async function page(user: SignedInUser, query = ''): Promise<InboxPage> {
  const res = await get(user, `/api/inbox${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const ids = (p: InboxPage) => p.cards.map((c) => c.msgid);
const msgid = (i: number) => (MSGID_BASE + BigInt(i)).toString();

/** Alice gets cards 1..n, alternating between the two apps; Bob gets 100 and 101. */
async function fill(n: number) {
  for (let i = 1; i <= n; i++) {
    const [a, t] = i % 2 ? [app, tmpl] : [other, otherTmpl];
    await deliverCard(s, { app: a, userId: alice.userId, templateId: t, msgid: MSGID_BASE + BigInt(i) });
    s.clock.advance(1000);
  }
  for (const i of [100, 101]) {
    await deliverCard(s, { app, userId: bob.userId, templateId: tmpl, msgid: MSGID_BASE + BigInt(i) });
  }
}

/** Frames published to a user's channel while the test runs. */
async function framesOf(user: SignedInUser): Promise<ServerFrame[]> {
  const frames: ServerFrame[] = [];
  await s.ctx.bus.subscribe(userChannel(user.userId), (f) => frames.push(f as ServerFrame));
  return frames;
}

describe('GET /api/inbox', () => {
  test('pages newest first across apps with the cursor; only the user’s own cards', async () => {
    await fill(7);
    const first = await page(alice, '?limit=3');
    expect(ids(first)).toEqual([msgid(7), msgid(6), msgid(5)]);
    expect(first.nextCursor).toBe(msgid(5));
    const second = await page(alice, `?limit=3&cursor=${first.nextCursor}`);
    expect(ids(second)).toEqual([msgid(4), msgid(3), msgid(2)]);
    expect(second.nextCursor).toBe(msgid(2));
    const third = await page(alice, `?limit=3&cursor=${second.nextCursor}`);
    expect(ids(third)).toEqual([msgid(1)]);
    expect(third.nextCursor).toBeNull();
    // A page that ends exactly on the last card says so.
    expect((await page(alice, '?limit=7')).nextCursor).toBeNull();
    expect(ids(await page(bob))).toEqual([msgid(101), msgid(100)]);
  });

  test('a card is the stored message as sent, msgid as an exact decimal string', async () => {
    await fill(2);
    const [card2, card1] = (await page(alice)).cards;
    const created = s.clock.now() - 2000;
    expect(card1).toEqual({
      kind: 'template',
      msgid: '3248682510344192001',
      appid: app.appid,
      appName: app.name,
      templateId: tmpl,
      title: expect.any(String),
      rows: [
        { label: expect.any(String), value: expect.stringContaining('3248682510344192001') },
        { label: expect.any(String), value: expect.stringContaining('3248682510344192001') },
      ],
      page: null,
      lang: 'zh_CN',
      miniprogramState: 'formal',
      createdAt: new Date(created).toISOString(),
      read: false,
    });
    expect(card2).toMatchObject({ appid: other.appid, templateId: otherTmpl, appName: other.name });
  });

  test('limit defaults to 20 and takes 1..50; anything else is 400 91000', async () => {
    await fill(22);
    const byDefault = await page(alice);
    expect(byDefault.cards).toHaveLength(20);
    expect(byDefault.nextCursor).toBe(msgid(3));
    expect((await page(alice, '?limit=1')).cards).toHaveLength(1);
    expect((await page(alice, '?limit=50')).cards).toHaveLength(22);
    for (const limit of ['0', '51', '-1', 'abc', '1.5', '', '1000']) {
      expectApiError(await get(alice, `/api/inbox?limit=${limit}`), 400, 91000);
    }
  });

  test('a cursor that is not one of the user’s cards is 400 91000', async () => {
    await fill(1);
    for (const cursor of ['abc', '-1', '1.5', '0', '', '9223372036854775808', '12345678901234567890']) {
      expectApiError(await get(alice, `/api/inbox?cursor=${cursor}`), 400, 91000);
    }
    expectApiError(await get(alice, '/api/inbox?cursor=1&cursor=2'), 400, 91000);
    expectApiError(await get(alice, '/api/inbox?offset=2'), 400, 91000);
    // A well-formed msgid that is no card of Alice's (made up, or someone else's) is refused, not walked to.
    expectApiError(await get(alice, '/api/inbox?cursor=9223372036854775807'), 400, 91000);
    expectApiError(await get(alice, `/api/inbox?cursor=${msgid(2)}`), 400, 91000);
    expect(ids(await page(alice, `?cursor=${msgid(1)}`))).toEqual([]);
  });

  test('without a valid session every inbox route is 401 92004', async () => {
    await fill(1);
    expectApiError(await get(undefined, '/api/inbox'), 401, 92004);
    expectApiError(await get({ ...alice, token: 'nope' }, '/api/inbox/unread-count'), 401, 92004);
    for (const url of ['/api/inbox/read-all', `/api/inbox/${msgid(1)}/read`, `/api/inbox/${msgid(1)}/stop`]) {
      expectApiError(await s.app.inject({ method: 'POST', url }), 401, 92004);
    }
  });

  test('values come back as the same plain text, as JSON (never HTML)', async () => {
    const script = '<script>alert(1)</script>';
    await deliverCard(s, {
      app,
      userId: alice.userId,
      templateId: tmpl,
      msgid: MSGID_BASE,
      rows: [
        { label: '商品', value: script },
        { label: '<b>备注</b>', value: '&lt;ok&gt; "q" \'s\' \u2028' },
      ],
      page: 'index?x=<img src=x onerror=alert(1)>',
    });
    const res = await get(alice, '/api/inbox');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const [card] = (res.json() as InboxPage).cards;
    expect(card?.rows).toEqual([
      { label: '商品', value: script },
      { label: '<b>备注</b>', value: '&lt;ok&gt; "q" \'s\' \u2028' },
    ]);
    expect(card?.page).toBe('index?x=<img src=x onerror=alert(1)>');
  });
});

describe('unread count and reading', () => {
  test('read one, read again, read all; each change is pushed to the user’s sessions', async () => {
    await fill(3);
    const frames = await framesOf(alice);
    const count = async (user: SignedInUser) => (await get(user, '/api/inbox/unread-count')).json();
    expect(await count(alice)).toEqual({ unread: 3 });
    expect(await count(bob)).toEqual({ unread: 2 });

    let res = await post(alice, `/api/inbox/${msgid(2)}/read`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ read: true, unread: 2 });
    res = await post(alice, `/api/inbox/${msgid(2)}/read`);
    expect(res.json()).toEqual({ read: true, unread: 2 });
    expect((await page(alice)).cards.map((c) => c.read)).toEqual([false, true, false]);

    res = await post(alice, '/api/inbox/read-all');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ unread: 0 });
    expect(await count(alice)).toEqual({ unread: 0 });
    expect(await count(bob)).toEqual({ unread: 2 });
    expect(frames).toEqual([
      { type: 'inbox.unread', unread: 2 },
      { type: 'inbox.unread', unread: 2 },
      { type: 'inbox.unread', unread: 0 },
    ]);
  });

  test('another user’s msgid or an unknown one is 404 91001 and changes nothing; a malformed one 400', async () => {
    await fill(1);
    const frames = await framesOf(alice);
    for (const id of [msgid(100), msgid(2), '9223372036854775807', '9999999999999999999', '0']) {
      expectApiError(await post(alice, `/api/inbox/${id}/read`), 404, 91001);
      expectApiError(await post(alice, `/api/inbox/${id}/stop`), 404, 91001);
    }
    for (const id of ['abc', '-1', '12345678901234567890', '1e5']) {
      expectApiError(await post(alice, `/api/inbox/${id}/read`), 400, 91000);
      expectApiError(await post(alice, `/api/inbox/${id}/stop`), 400, 91000);
    }
    expect((await get(bob, '/api/inbox/unread-count')).json()).toEqual({ unread: 2 });
    expect(frames).toEqual([]);
    expect(await s.ctx.store.consent.changes(0, 100)).toHaveLength(3);
  });
});

describe('POST /api/inbox/:msgid/stop', () => {
  test('rejects the card’s template for this user and app, zeroes its grants, logs source card', async () => {
    await fill(1);
    // Two more grants of the same template, one of another app's template.
    await deliverCard(s, { app, userId: alice.userId, templateId: tmpl, msgid: MSGID_BASE + 50n });
    await s.ctx.store.consent.recordDecisions(
      app.appid,
      alice.userId,
      [{ templateId: tmpl, templateType: 2, status: 'accept', source: 'popup' }],
      s.clock.now(),
    );
    const before = await s.ctx.store.consent.changes(0, 100);
    const res = await post(alice, `/api/inbox/${msgid(1)}/stop`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ stopped: true, templateId: tmpl });

    const [grant] = await s.ctx.store.consent.grants(app.appid, alice.userId, [tmpl]);
    expect(grant).toMatchObject({ remaining: 0, active: false, status: 'reject', keepChoice: true });
    const logged = (await s.ctx.store.consent.changes(0, 100)).slice(before.length);
    expect(logged).toEqual([
      {
        id: expect.any(Number),
        appid: app.appid,
        userId: alice.userId,
        templateId: tmpl,
        status: 'reject',
        source: 'card',
        at: s.clock.now(),
      },
    ]);
    // Bob's grant of the same template, and the card itself, stay.
    const [bobs] = await s.ctx.store.consent.grants(app.appid, bob.userId, [tmpl]);
    expect(bobs).toMatchObject({ status: 'accept' });
    expect(ids(await page(alice))).toEqual([msgid(50), msgid(1)]);
  });
});
