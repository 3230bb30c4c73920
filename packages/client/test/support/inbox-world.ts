import { Inbox } from '@beckon/client/inbox';
import { PlatformHttp } from '@beckon/client/platform';
import { BeckonSocket } from '@beckon/client/socket';
import { afterEach, beforeEach } from 'vitest';
import WebSocket from 'ws';
import {
  addTemplate,
  grant,
  type Recipient,
  send,
  shippedData,
  signUpRecipient,
} from '../../../server/src/messages/test-support/send.js';
import { type TestServer, testServer } from '../../../server/src/test-support/harness.js';
import { eventually } from './eventually.js';
import { tcpProxy } from './tcp-proxy.js';

// Node 20 has no WebSocket global; ws speaks the same API (onopen, onmessage, onclose, readyState).
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

/** A person signed up through the client API (username, session token) and known to the test app. */
export type Person = Recipient & { token: string; http: PlatformHttp };

/**
 * What the inbox tests share: per test, Beckon in-process listening on 127.0.0.1 with one app and its
 * 订单发货提醒 template; people signed up through the client API; cards sent through the real send route.
 * Sockets, inboxes and proxies made through it are closed after the test. Call at the top of the file.
 */
export function inboxWorld() {
  const sockets: BeckonSocket[] = [];
  const inboxes: Inbox[] = [];
  const closers: (() => Promise<void>)[] = [];
  const world = {
    s: undefined as unknown as TestServer,
    app: undefined as unknown as Awaited<ReturnType<TestServer['newApp']>>,
    /** The app's access token, for the send route. */
    token: '',
    /** The app's private template (SHIPPED_TID). */
    tmpl: '',
    url: '',
    /** Signs a person up (and in) through the client API, and into the app (`wx.login`). */
    async person(username: string): Promise<Person> {
      const r = await signUpRecipient(world.s, world.app, username);
      const token = r.token as string;
      return { ...r, token, http: new PlatformHttp({ server: world.url, token }) };
    },
    /** A socket with the person's session (`via` a proxy's URL), not yet opened; closed after the test. */
    socketOf(person: { token: string }, via?: string, retries?: number): BeckonSocket {
      const socket = new BeckonSocket({ server: via ?? world.url, token: person.token, retries });
      sockets.push(socket);
      return socket;
    },
    /** An inbox of the person on that socket (not started); closed after the test. */
    inboxOf(person: Person, socket: BeckonSocket, pageSize?: number): Inbox {
      const inbox = new Inbox({ http: person.http, socket, pageSize });
      inboxes.push(inbox);
      return inbox;
    },
    /**
     * Sends `count` cards to the person through `/cgi-bin/message/subscribe/send` (a grant each first),
     * the i-th with `values(i)` over the template's sample data; returns their msgids, as decimal strings.
     */
    async send(
      person: Recipient,
      count = 1,
      values = (i: number): Record<string, string> => ({ character_string1: `DD${i}` }),
    ): Promise<string[]> {
      await grant(world.s, world.app, person, world.tmpl, count);
      const msgids: string[] = [];
      for (let i = 0; i < count; i++) {
        const answer = await send(world.s, world.token, {
          touser: person.openid,
          template_id: world.tmpl,
          data: shippedData(values(i)),
        });
        if (answer.errcode !== 0 || answer.msgid === undefined) throw new Error(`send: ${answer.raw}`);
        msgids.push(answer.msgid.toString());
      }
      return msgids;
    },
    /** A TCP proxy in front of the server (cut, refuse, freeze), closed after the test. */
    async proxy() {
      const proxy = await tcpProxy(Number(new URL(world.url).port));
      closers.push(proxy.close);
      return proxy;
    },
    /** Waits until the inbox's state passes `check`. */
    until(inbox: Inbox, check: (state: Inbox['state']) => boolean, what: string, ms = 5_000) {
      return eventually(() => (check(inbox.state) ? inbox.state : undefined), what, ms);
    },
  };
  beforeEach(async () => {
    world.s = await testServer({ gateway: { resumeGraceMs: 5_000 } });
    world.app = await world.s.newApp();
    world.token = await world.s.tokenFor(world.app);
    world.tmpl = await addTemplate(world.s, world.app);
    world.url = await world.s.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    for (const inbox of inboxes.splice(0)) inbox.close();
    for (const socket of sockets.splice(0)) socket.close();
    await world.s.close();
  });
  return world;
}

/** The msgids of the cards, in the order held. */
export const msgidsOf = (state: Inbox['state']) => state.cards.map((card) => card.msgid);
