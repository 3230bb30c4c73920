import type { InboxCard, InboxPage } from '@beckon/protocol';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { connect, type GatewayClient } from '../src/gateway/test-support/client.js';
import {
  addTemplate,
  grant,
  type Recipient,
  send,
  shippedData,
  signUpRecipient,
  type TestApp,
} from '../src/messages/test-support/send.js';
import { type TestServer, testServer } from '../src/test-support/harness.js';

/**
 * End to end, as the pieces meet in production: a backend sends through the WeChat-compatible route, the
 * card arrives on the user's open WebSockets, and the inbox API reads and stops it.
 */

let s: TestServer;
let app: TestApp;
let token: string;
let tmpl: string;
let alice: Recipient & { token: string };
let bob: Recipient & { token: string };
const sockets: GatewayClient[] = [];
beforeEach(async () => {
  s = await testServer();
  app = await s.newApp();
  token = await s.tokenFor(app);
  tmpl = await addTemplate(s, app);
  alice = (await signUpRecipient(s, app, 'alice')) as Recipient & { token: string };
  bob = (await signUpRecipient(s, app, 'bob')) as Recipient & { token: string };
  await s.app.listen({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  for (const c of sockets.splice(0)) c.ws.terminate();
  await s.close();
});

async function online(user: { token: string }, via: 'header' | 'query' = 'header') {
  const client = await connect(s.app, { token: user.token, via });
  sockets.push(client);
  return { client, hello: await client.next() };
}

const api = (method: 'GET' | 'POST', user: { token: string }, url: string) =>
  s.app.inject({ method, url, headers: { authorization: `Bearer ${user.token}` } });

test('a send reaches the recipient’s open sockets as the same card the inbox lists', async () => {
  await grant(s, app, alice, tmpl, 2);
  const { client: browser, hello } = await online(alice, 'query');
  expect(hello).toEqual({ type: 'hello', userId: alice.userId, unread: 0 });
  const bobs = (await online(bob)).client;

  const data = shippedData({ thing3: '<b>顺丰</b>' });
  const answer = await send(s, token, { touser: alice.openid, template_id: tmpl, data, page: 'order?id=7' });
  expect(answer.errcode, answer.raw).toBe(0);

  const frame = await browser.next();
  expect(frame.type).toBe('inbox.card');
  const card = (frame as { card: InboxCard }).card;
  expect(card.msgid).toBe(answer.msgid!.toString());
  expect(card).toMatchObject({ appid: app.appid, templateId: tmpl, page: 'order?id=7', read: false });
  expect(card.rows.map((r) => r.value)).toEqual(Object.values(data).map((d) => String(d.value)));

  const listed = (await api('GET', alice, '/api/inbox')).json() as InboxPage;
  expect(listed).toEqual({ cards: [card], nextCursor: null });
  expect(bobs.pending()).toEqual([]);

  // Reading it on another device updates this one's badge.
  const read = await api('POST', alice, `/api/inbox/${card.msgid}/read`);
  expect(read.json()).toEqual({ read: true, unread: 0 });
  expect(await browser.next()).toEqual({ type: 'inbox.unread', unread: 0 });
});

test('“stop receiving” on a card takes the remaining grants: the next send is refused 43101', async () => {
  await grant(s, app, alice, tmpl, 3);
  const { client } = await online(alice);
  const body = { touser: alice.openid, template_id: tmpl, data: shippedData() };
  const first = await send(s, token, body);
  expect(first.errcode, first.raw).toBe(0);
  const card = ((await client.next()) as { card: InboxCard }).card;

  const stopped = await api('POST', alice, `/api/inbox/${card.msgid}/stop`);
  expect(stopped.statusCode, stopped.body).toBe(200);
  expect(stopped.json()).toEqual({ stopped: true, templateId: tmpl });

  const second = await send(s, token, body);
  expect(second.errcode, second.raw).toBe(43101);
  // Nothing more arrives: the refused send pushed no card.
  client.ws.send(JSON.stringify({ type: 'ping' }));
  expect(await client.next()).toEqual({ type: 'pong' });
});
