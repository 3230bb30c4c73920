import type { SendRequest } from '@beckon/protocol';
import { afterEach, beforeEach } from 'vitest';
import { issueLoginCode } from '../../accounts/login-codes.js';
import { randomHex } from '../../ids.js';
import { addLibraryTemplate, signUp, type TestServer, testServer } from '../../test-support/harness.js';

/** Around the send route: an app, its template, users with openids and grants, and the send itself. */

export interface TestApp {
  appid: string;
  secret: string;
}

export interface Recipient {
  userId: string;
  openid: string;
  /** Session bearer token; only for users signed up through the client API. */
  token?: string;
}

/** tid 1101 订单发货提醒 with five keywords (the most a template takes): character_string1 thing2 thing3 character_string4 time5. */
export const SHIPPED_TID = 1101;
export const SHIPPED_KIDS = [1, 2, 3, 4, 5];
export const shippedData = (overrides: Record<string, unknown> = {}): SendRequest['data'] => {
  const data: Record<string, { value: unknown }> = {
    character_string1: { value: 'DD2019100100123' },
    thing2: { value: '无线蓝牙耳机' },
    thing3: { value: '顺丰速运' },
    character_string4: { value: 'SF1234567890123' },
    time5: { value: '2019年10月1日 15:01' },
  };
  for (const [key, value] of Object.entries(overrides)) data[key] = { value };
  return data;
};

/** Adds a private template through `/wxaapi/newtmpl/addtemplate`; returns its priTmplId. */
export function addTemplate(
  s: TestServer,
  app: TestApp,
  tid = SHIPPED_TID,
  kidList = SHIPPED_KIDS,
): Promise<string> {
  return addLibraryTemplate(s, app, tid, kidList);
}

/** A user as a person gets one: register, sign in, `wx.login` in the app, and the app's code2Session. */
export async function signUpRecipient(s: TestServer, app: TestApp, username: string): Promise<Recipient> {
  const { token, userId } = await signUp(s, username);
  const login = await s.app.inject({
    method: 'POST',
    url: `/api/apps/${app.appid}/login`,
    headers: { authorization: `Bearer ${token}` },
  });
  const code = (login.json() as { code: string }).code;
  const session = await s.app.inject({
    method: 'GET',
    url: '/sns/jscode2session',
    query: { appid: app.appid, secret: app.secret, js_code: code, grant_type: 'authorization_code' },
  });
  const openid = (session.json() as { openid?: string }).openid;
  if (!openid) throw new Error(`jscode2session: ${session.body}`);
  return { userId, openid, token };
}

/**
 * Many users at once, through the domain (a password hash each would take minutes): a user record and
 * the `wx.login` that makes the app's openid resolve.
 */
export async function quickRecipients(s: TestServer, app: TestApp, count: number): Promise<Recipient[]> {
  const out: Recipient[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomHex(16);
    await s.ctx.store.accounts.createUser({
      id,
      username: `u${i}-${id.slice(0, 8)}`,
      displayName: `User ${i}`,
      passwordHash: 'not-a-password',
      createdAt: s.clock.now(),
    });
    await issueLoginCode(s.ctx, id, app.appid);
    const appUser = await s.ctx.store.accounts.getAppUser(app.appid, id);
    out.push({ userId: id, openid: appUser!.openid });
  }
  return out;
}

/** `count` accepts of a one-time template (or one of a long-term one) straight into the ledger. */
export async function grant(
  s: TestServer,
  app: TestApp,
  user: { userId: string },
  templateId: string,
  count = 1,
  templateType: 2 | 3 = 2,
): Promise<void> {
  const decisions = Array.from({ length: count }, () => ({
    templateId,
    templateType,
    status: 'accept' as const,
    source: 'popup' as const,
  }));
  const changes = await s.ctx.store.consent.recordDecisions(app.appid, user.userId, decisions, s.clock.now());
  if (changes.length !== count) throw new Error('grant not recorded');
}

/** The one-time grants left for (app, user, template); 0 when there is no grant row. */
export async function remaining(s: TestServer, app: TestApp, user: { userId: string }, templateId: string) {
  const [g] = await s.ctx.store.consent.grants(app.appid, user.userId, [templateId]);
  return g?.remaining ?? 0;
}

export interface SendAnswer {
  status: number;
  raw: string;
  errcode: number;
  errmsg: string;
  /** Read from the raw text: JSON.parse would round it to a double. */
  msgid?: bigint;
}

/** Reads a send answer without JSON.parse losing the msgid. */
export function readAnswer(status: number, raw: string): SendAnswer {
  const body = JSON.parse(raw) as { errcode: number; errmsg: string };
  const digits = /"msgid":(\d+)/.exec(raw)?.[1];
  return {
    status,
    raw,
    errcode: body.errcode,
    errmsg: body.errmsg,
    ...(digits ? { msgid: BigInt(digits) } : {}),
  };
}

/** Posts a send; `body` is JSON unless it is a string (sent as is). */
export async function send(s: TestServer, token: string, body: unknown, contentType = 'application/json') {
  const res = await s.app.inject({
    method: 'POST',
    url: `/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`,
    headers: { 'content-type': contentType },
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return readAnswer(res.statusCode, res.body);
}

/** What a send test starts from: a fresh server, an app with its access token and template, and alice. */
export interface SendWorld {
  s: TestServer;
  app: TestApp;
  token: string;
  /** The app's private 订单发货提醒 template (SHIPPED_TID). */
  tmpl: string;
  /** Signed up through the client API; unset when `alice: false`. */
  alice: Recipient;
}

export interface SendWorldOptions {
  /** Sign up alice (default true). */
  alice?: boolean;
  /** Give alice one grant of `tmpl` (default true; needs alice). */
  grant?: boolean;
  /**
   * Make every delivery yield to the event loop first (default false). The in-memory SQLite store answers
   * within the same tick, so in-process requests would never overlap inside the send. A database across a
   * network takes a while: let other requests run meanwhile (the real store still decides every outcome).
   */
  slowDeliver?: boolean;
}

/**
 * Registers the `beforeEach` that builds a {@link SendWorld} and the `afterEach` that closes its server;
 * returns the world, whose properties are filled in before each test.
 */
export function useSendWorld(options: SendWorldOptions = {}): SendWorld {
  const { alice = true, grant: granted = true, slowDeliver = false } = options;
  const w = {} as SendWorld;
  beforeEach(async () => {
    w.s = await testServer();
    w.app = await w.s.newApp();
    w.token = await w.s.tokenFor(w.app);
    w.tmpl = await addTemplate(w.s, w.app);
    if (alice) {
      w.alice = await signUpRecipient(w.s, w.app, 'alice');
      if (granted) await grant(w.s, w.app, w.alice, w.tmpl);
    }
    if (slowDeliver) {
      const messages = w.s.ctx.store.messages;
      const deliver = messages.deliver.bind(messages);
      messages.deliver = async (...args) => {
        await new Promise((r) => setImmediate(r));
        return deliver(...args);
      };
    }
  });
  afterEach(() => w.s.close());
  return w;
}
