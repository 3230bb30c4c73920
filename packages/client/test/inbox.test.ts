/**
 * @beckon/client/inbox in Node against the real server: people signed up through the client API, cards
 * sent through the real send route, real WebSockets (network failures through a TCP proxy).
 */
import { byMsgid } from '@beckon/client/inbox';
import { PlatformError } from '@beckon/client/platform';
import { describe, expect, test } from 'vitest';
import { pushToUser } from '../../server/src/gateway/push.js';
import { toInboxCard } from '../../server/src/messages/card.js';
import { deliverCard, MSGID_BASE } from '../../server/src/messages/test-support/inbox.js';
import { send, shippedData } from '../../server/src/messages/test-support/send.js';
import { inboxWorld, msgidsOf } from './support/inbox-world.js';
import { sleep } from './support/node-world.js';

const world = inboxWorld();

const ascending = (msgids: string[]) => [...msgids].sort((a, b) => byMsgid({ msgid: a }, { msgid: b }));

describe('the thread', () => {
  test('cards sent while it is open arrive live, oldest first, each counted unread', async () => {
    const alice = await world.person('alice');
    const socket = world.socketOf(alice);
    const inbox = world.inboxOf(alice, socket);
    const seen: number[] = [];
    inbox.subscribe((state) => seen.push(state.cards.length));
    await socket.open();
    await inbox.start();
    expect(inbox.state).toEqual({ cards: [], unread: 0, hasOlder: false, loading: false, error: null });
    const sent = await world.send(alice, 3, (i) => ({ thing2: `<b>order ${i}</b>` }));
    const state = await world.until(inbox, (s) => s.cards.length === 3, 'three live cards');
    expect(msgidsOf(state)).toEqual(sent);
    expect(state.unread).toBe(3);
    // The values exactly as sent: the UI renders them as text.
    expect(state.cards[0]?.rows[1]).toEqual({ label: expect.any(String), value: '<b>order 0</b>' });
    expect(state.cards.every((c) => !c.read && c.appid === world.app.appid)).toBe(true);
    expect(seen.at(-1)).toBe(3);
  });

  test('msgids above 2^53 are ordered as BigInt: a card inserted between two keeps its place', async () => {
    const alice = await world.person('alice');
    const socket = world.socketOf(alice);
    const inbox = world.inboxOf(alice, socket);
    // Three ids that differ only past a double's precision: Number() would make them equal.
    const ids = [MSGID_BASE + 1n, MSGID_BASE + 3n, MSGID_BASE + 2n];
    expect(Number(ids[0]) === Number(ids[1])).toBe(true);
    for (const msgid of ids.slice(0, 2))
      await deliverCard(world.s, { app: world.app, userId: alice.userId, templateId: world.tmpl, msgid });
    await socket.open();
    await inbox.start();
    // Delivered and pushed as the send does it.
    const record = await deliverCard(world.s, {
      app: world.app,
      userId: alice.userId,
      templateId: world.tmpl,
      msgid: ids[2] as bigint,
    });
    await pushToUser(world.s.ctx, alice.userId, { type: 'inbox.card', card: toInboxCard(record) });
    const state = await world.until(inbox, (s) => s.cards.length === 3, 'the card in between');
    expect(msgidsOf(state)).toEqual(['1', '2', '3'].map((d) => (MSGID_BASE + BigInt(d)).toString()));
    expect(state.unread).toBe(3);
  });

  test('paging back: newest page first, loadOlder() reaches the oldest, then hasOlder is false', async () => {
    const alice = await world.person('alice');
    const sent = await world.send(alice, 7);
    const socket = world.socketOf(alice);
    const inbox = world.inboxOf(alice, socket, 3);
    const loading: boolean[] = [];
    inbox.subscribe((s) => loading.push(s.loading));
    await socket.open();
    await inbox.start();
    expect(msgidsOf(inbox.state)).toEqual(sent.slice(4));
    expect(inbox.state).toMatchObject({ hasOlder: true, unread: 7, loading: false });
    // Two calls at once: one request, the same promise.
    const a = inbox.loadOlder();
    expect(inbox.loadOlder()).toBe(a);
    await a;
    expect(msgidsOf(inbox.state)).toEqual(sent.slice(1));
    expect(inbox.state.hasOlder).toBe(true);
    await inbox.loadOlder();
    expect(msgidsOf(inbox.state)).toEqual(sent);
    expect(inbox.state.hasOlder).toBe(false);
    await inbox.loadOlder(); // nothing older: nothing fetched, nothing changed
    expect(msgidsOf(inbox.state)).toEqual(sent);
    expect(loading).toContain(true);
    expect(inbox.state.loading).toBe(false);
  });

  test('a card that arrives live and again in a page is held once', async () => {
    const alice = await world.person('alice');
    const socket = world.socketOf(alice);
    const inbox = world.inboxOf(alice, socket, 5);
    await socket.open();
    // The first page is fetched while cards are being sent: some come both live and in the page.
    const [sent] = await Promise.all([world.send(alice, 4), inbox.start()]);
    const state = await world.until(inbox, (s) => s.cards.length >= 4, 'four cards');
    await inbox.refresh(); // every one of them again in the newest page
    expect(msgidsOf(inbox.state)).toEqual(sent);
    expect(new Set(msgidsOf(inbox.state)).size).toBe(4);
    expect(state.unread).toBe(4);
  });

  test('started before the socket opens: a card sent in between appears once it opens', async () => {
    const alice = await world.person('alice');
    const socket = world.socketOf(alice);
    const inbox = world.inboxOf(alice, socket);
    await inbox.start();
    const sent = await world.send(alice, 1); // neither in the page fetched nor pushed (no socket yet)
    expect(inbox.state.cards).toEqual([]);
    await socket.open();
    const state = await world.until(inbox, (s) => s.cards.length === 1, 'the card');
    expect(msgidsOf(state)).toEqual(sent);
    expect(state.unread).toBe(1);
  });

  test('a page load that fails puts its error in the state; the next success clears it', async () => {
    const alice = await world.person('alice');
    await world.send(alice, 1);
    const socket = world.socketOf(alice);
    const inbox = world.inboxOf(alice, socket);
    const token = alice.http.token;
    alice.http.token = 'not-a-session';
    await inbox.start();
    expect(inbox.state.error).toBeInstanceOf(PlatformError);
    expect(inbox.state.error).toMatchObject({ status: 401, errcode: 92004 });
    alice.http.token = token;
    await inbox.refresh();
    expect(inbox.state).toMatchObject({ error: null, cards: [expect.any(Object)] });
  });
});

describe('after a reconnect', () => {
  test('the cards sent while the socket was down appear, and the count from hello', async () => {
    const alice = await world.person('alice');
    const proxy = await world.proxy();
    const socket = world.socketOf(alice, proxy.url);
    const inbox = world.inboxOf(alice, socket);
    await socket.open();
    await inbox.start();
    const before = await world.send(alice, 1);
    await world.until(inbox, (s) => s.cards.length === 1, 'the first card');
    const statuses: string[] = [];
    socket.onStatus((s) => statuses.push(s));
    proxy.refuse(60_000); // down: nothing reaches the page live
    const during = await world.send(alice, 2);
    await sleep(200);
    expect(inbox.state.cards).toHaveLength(1);
    expect(socket.status).toBe('reconnecting');
    proxy.allow();
    const state = await world.until(inbox, (s) => s.cards.length === 3, 'the gap filled', 8_000);
    expect(msgidsOf(state)).toEqual([...before, ...during]);
    expect(state.unread).toBe(3);
    await eventuallyOpen(socket);
    expect(statuses).toEqual(['reconnecting', 'open']);
    // Live again.
    const after = await world.send(alice, 1);
    await world.until(inbox, (s) => s.cards.length === 4, 'a live card after the reconnect');
    expect(msgidsOf(inbox.state)).toEqual([...before, ...during, ...after]);
  }, 15_000);

  test('more than a page arrived meanwhile: older pages are fetched until they reach the cards held', async () => {
    const alice = await world.person('alice');
    const proxy = await world.proxy();
    const socket = world.socketOf(alice, proxy.url);
    const inbox = world.inboxOf(alice, socket, 2);
    const first = await world.send(alice, 3);
    await socket.open();
    await inbox.start();
    expect(msgidsOf(inbox.state)).toEqual(first.slice(1));
    expect(inbox.state.hasOlder).toBe(true);
    proxy.refuse(60_000);
    // The newest page (2) and one page of INBOX_PAGE_MAX (50) do not reach back to what is held: two do.
    const during = await world.send(alice, 55);
    proxy.allow();
    const state = await world.until(inbox, (s) => s.cards.length > 2, 'the whole gap', 8_000);
    // The pages reached past the oldest card held, to the first one: nothing older is left.
    expect(msgidsOf(state)).toEqual([...first, ...during]);
    expect(state).toMatchObject({ hasOlder: false, unread: 58 });
  }, 20_000);

  test('a gap too long to bridge: the thread starts again from the newest cards', async () => {
    const alice = await world.person('alice');
    const proxy = await world.proxy();
    const socket = world.socketOf(alice, proxy.url);
    const inbox = world.inboxOf(alice, socket, 10);
    const first = await world.send(alice, 2);
    await socket.open();
    await inbox.start();
    proxy.refuse(60_000);
    // More than GAP_PAGES (4) pages of 50: straight through the store, as the send delivers them.
    const during: string[] = [];
    for (let i = 1n; i <= 215n; i++) {
      const msgid = MSGID_BASE + i;
      await deliverCard(world.s, { app: world.app, userId: alice.userId, templateId: world.tmpl, msgid });
      during.push(msgid.toString());
    }
    proxy.allow();
    const state = await world.until(inbox, (s) => s.cards.length !== 2, 'the refreshed thread', 8_000);
    expect(msgidsOf(state)).toEqual(during.slice(-210));
    expect(state.hasOlder).toBe(true);
    for (let i = 0; i < 2 && inbox.state.hasOlder; i++) await inbox.loadOlder();
    expect(msgidsOf(inbox.state)).toEqual([...first, ...during]);
    expect(msgidsOf(inbox.state)).toEqual(ascending(msgidsOf(inbox.state)));
  }, 20_000);
});

describe('unread, read and stop', () => {
  test('two sockets of one user: reading on one updates the other’s count and cards', async () => {
    const alice = await world.person('alice');
    const [socketA, socketB] = [world.socketOf(alice), world.socketOf(alice)];
    const [a, b] = [world.inboxOf(alice, socketA), world.inboxOf(alice, socketB)];
    await Promise.all([socketA.open(), socketB.open()]);
    await Promise.all([a.start(), b.start()]);
    const sent = await world.send(alice, 3);
    await world.until(a, (s) => s.unread === 3 && s.cards.length === 3, 'a: three unread');
    await world.until(b, (s) => s.unread === 3 && s.cards.length === 3, 'b: three unread');
    await a.markRead(sent[0] as string);
    expect(a.state.unread).toBe(2);
    expect(a.state.cards.map((c) => c.read)).toEqual([true, false, false]);
    await world.until(b, (s) => s.unread === 2, 'b hears the count');
    await b.markAllRead();
    expect(b.state.unread).toBe(0);
    expect(b.state.cards.every((c) => c.read)).toBe(true);
    // a hears none are unread: every card it holds is read.
    const state = await world.until(a, (s) => s.unread === 0, 'a hears the count');
    expect(state.cards.every((c) => c.read)).toBe(true);
    // The server agrees, and a socket opened now says so in its hello.
    const fresh = world.inboxOf(alice, world.socketOf(alice));
    await fresh.start();
    expect(fresh.state).toMatchObject({ unread: 0 });
    expect(fresh.state.cards.every((c) => c.read)).toBe(true);
  });

  test('markRead of a card that is not the user’s rejects with 91001; state unchanged', async () => {
    const alice = await world.person('alice');
    const bob = await world.person('bob');
    const [bobs] = await world.send(bob, 1);
    const inbox = world.inboxOf(alice, world.socketOf(alice));
    await inbox.start();
    const before = inbox.state;
    const err = await inbox.markRead(bobs as string).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect(err).toMatchObject({ status: 404, errcode: 91001 });
    expect(inbox.state).toBe(before);
  });

  test('stop(msgid) answers the template id, the card stays, and the app can no longer send it', async () => {
    const alice = await world.person('alice');
    const socket = world.socketOf(alice);
    const inbox = world.inboxOf(alice, socket);
    await socket.open();
    await inbox.start();
    const [msgid] = await world.send(alice, 1);
    await world.until(inbox, (s) => s.cards.length === 1, 'the card');
    expect(await inbox.stop(msgid as string)).toBe(world.tmpl);
    expect(msgidsOf(inbox.state)).toEqual([msgid]);
    const refused = await send(world.s, world.token, {
      touser: alice.openid,
      template_id: world.tmpl,
      data: shippedData(),
    });
    expect(refused.errcode).toBe(43101);
    await inbox.refresh();
    expect(msgidsOf(inbox.state)).toEqual([msgid]);
  });
});

async function eventuallyOpen(socket: { status: string }) {
  for (let i = 0; i < 100 && socket.status !== 'open'; i++) await sleep(50);
  expect(socket.status).toBe('open');
}
