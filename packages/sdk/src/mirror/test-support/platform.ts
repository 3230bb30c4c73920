import { randomUUID } from 'node:crypto';
import type { SubscribeEvent } from '@beckon/protocol';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, expect, test } from 'vitest';
import {
  type Recipient,
  shippedData,
  signUpRecipient,
} from '../../../../server/src/messages/test-support/send.js';
import { addLibraryTemplate, type TestServer } from '../../../../server/src/test-support/harness.js';
import { createClient, type WeChatClient } from '../../client.js';
import { WeChatError } from '../../errors.js';
import { liveServer } from '../../test-support/live-server.js';
import { deleteKeysUnder } from '../../test-support/redis.js';
import { MemoryLedgerStore } from '../memory-store.js';
import { createLedgerMirror, type LedgerMirror } from '../mirror.js';
import { RedisLedgerStore } from '../redis-store.js';
import type { LedgerStore } from '../store.js';

/*
 * The mirror against the real Beckon server, listening on 127.0.0.1: grants are made through the client
 * API exactly as the platform shell makes them, the mirror learns them from the same answers the mini
 * program would report, and the platform's ledger (its store) is the truth the mirror is compared with.
 */

export { type Recipient, shippedData, signUpRecipient };

export interface StoreKind {
  name: string;
  open(): LedgerStore;
}

/** The memory store, and the Redis store when REDIS_URL is set (otherwise a skipped test says why). */
export function storeKinds(): StoreKind[] {
  const kinds: StoreKind[] = [{ name: 'memory', open: () => new MemoryLedgerStore() }];
  const url = process.env.REDIS_URL;
  if (!url) {
    test.skip('ledger mirror on Redis: REDIS_URL not set', () => {});
    return kinds;
  }
  const redis = new Redis(url);
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const prefix of prefixes) await deleteKeysUnder(redis, prefix);
    await redis.quit();
  });
  kinds.push({
    name: 'redis',
    open: () => {
      const prefix = `beckon-test:mirror:${randomUUID()}:`;
      prefixes.push(prefix);
      return new RedisLedgerStore({ redis, prefix });
    },
  });
  return kinds;
}

export const SHIPPED_TID = 1101;
export const VISIT_TID = 1402; // long-term

/** The platform, an app with the shipped template, the SDK client and a mirror; fresh for each test. */
export interface Platform {
  s: TestServer;
  app: { appid: string; secret: string; originalId: string };
  tmpl: string;
  client: WeChatClient;
  store: LedgerStore;
  mirror: LedgerMirror;
  /** Calls that reached the platform's send API. */
  platformSends: number;
  /** Calls of gettemplate (the mirror's template list). */
  listFetches: number;
  /** The next `n` gettemplate calls answer -1 (the platform busy) without reaching it. */
  failLists: number;
  /** Runs after the platform answered a send and before the client sees the answer (a push that wins the race). */
  beforeAnswer:
    | ((msgid: string, request: { touser: string; template_id: string }) => Promise<void>)
    | undefined;
}

export function usePlatform(kind: StoreKind): Platform {
  const p = {} as Platform;
  beforeEach(async () => {
    const { s, baseUrl } = await liveServer();
    p.s = s;
    p.app = await p.s.newApp();
    p.tmpl = await addLibraryTemplate(p.s, p.app, SHIPPED_TID, [1, 2, 3, 4, 5]);
    p.platformSends = 0;
    p.listFetches = 0;
    p.failLists = 0;
    p.beforeAnswer = undefined;
    const observedFetch: typeof fetch = async (input, init) => {
      if (String(input).includes('/wxaapi/newtmpl/gettemplate')) {
        p.listFetches++;
        if (p.failLists > 0) {
          p.failLists--;
          return Response.json({ errcode: -1, errmsg: 'system error' });
        }
      }
      if (!String(input).includes('/cgi-bin/message/subscribe/send')) return fetch(input, init);
      p.platformSends++;
      const res = await fetch(input, init);
      const msgid = /"msgid":(\d+)/.exec(await res.clone().text())?.[1];
      if (msgid && p.beforeAnswer) await p.beforeAnswer(msgid, JSON.parse(String(init?.body)));
      return res;
    };
    p.client = createClient({ appId: p.app.appid, appSecret: p.app.secret, baseUrl, fetch: observedFetch });
    p.store = kind.open();
    p.mirror = createLedgerMirror({ client: p.client, store: p.store });
  });
  afterEach(async () => {
    await p.store.close();
    await p.s.close();
  });
  return p;
}

/** The user answers a subscribe popup in the platform shell; the answer is what the mini program gets. */
export async function subscribe(p: Platform, user: Recipient, tmplIds: string[], accepted: string[]) {
  const res = await p.s.app.inject({
    method: 'POST',
    url: `/api/apps/${p.app.appid}/subscriptions`,
    headers: { authorization: `Bearer ${user.token}` },
    payload: { tmplIds, accepted },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { errMsg: string } & Record<string, string>;
}

/** The user turns a template off (or on again) on the settings page; no one tells the mirror. */
export async function setItem(p: Platform, user: Recipient, templateId: string, choice: 'accept' | 'reject') {
  const res = await p.s.app.inject({
    method: 'PUT',
    url: `/api/apps/${p.app.appid}/settings`,
    headers: { authorization: `Bearer ${user.token}` },
    payload: { itemSettings: { [templateId]: choice } },
  });
  expect(res.statusCode, res.body).toBe(200);
}

export const platformCount = async (p: Platform, user: Recipient, templateId = p.tmpl) =>
  (await p.s.ctx.store.consent.grants(p.app.appid, user.userId, [templateId]))[0]?.remaining ?? 0;

export const inboxSize = async (p: Platform, user: Recipient) =>
  (await p.s.ctx.store.messages.inbox(user.userId, 1000)).length;

export const sendTo = (p: Platform, user: Recipient, data = shippedData()) =>
  p.mirror.sendWithQuota({ touser: user.openid, template_id: p.tmpl, data: data as never });

/** The WeChatError the promise rejects with (any other outcome fails the test). */
export const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a WeChatError');
    },
    (err: unknown) => {
      if (!(err instanceof WeChatError)) throw err;
      return err;
    },
  );

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A pushed event from `user`, made at `at` (seconds; default now). */
export const event = <E extends SubscribeEvent>(
  p: Platform,
  user: Recipient,
  e: Pick<E, 'Event' | 'List'>,
  at = nowSeconds(),
) =>
  ({ ToUserName: p.app.originalId, FromUserName: user.openid, CreateTime: at, MsgType: 'event', ...e }) as E;
