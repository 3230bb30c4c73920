import { afterEach, beforeEach } from 'vitest';
import { type TestServer, testServer } from '../../test-support/harness.js';

/** What the platform shell does around the consent routes, through the real HTTP API. */

const PASSWORD = 'correct horse battery';

export interface SignedInUser {
  token: string;
  userId: string;
}

/** Registers a user through the client API and signs them in. */
export async function signUp(s: TestServer, username: string): Promise<SignedInUser> {
  const reg = await s.app.inject({
    method: 'POST',
    url: '/api/accounts',
    payload: { username, password: PASSWORD },
  });
  if (reg.statusCode !== 201) throw new Error(`register: ${reg.body}`);
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/sessions',
    payload: { username, password: PASSWORD },
  });
  if (res.statusCode !== 201) throw new Error(`sign in: ${res.body}`);
  const body = res.json() as { token: string; user: { id: string } };
  return { token: body.token, userId: body.user.id };
}

/** Adds a private template from the library through `/wxaapi/newtmpl/addtemplate`; returns its id. */
export async function addTemplate(
  s: TestServer,
  app: { appid: string; secret: string },
  tid: number,
  kidList: number[] = [1, 2],
): Promise<string> {
  const res = await s.app.inject({
    method: 'POST',
    url: `/wxaapi/newtmpl/addtemplate?access_token=${await s.tokenFor(app)}`,
    payload: { tid, kidList, sceneDesc: 'consent test' },
  });
  const body = res.json() as { errcode: number; priTmplId?: string };
  if (body.errcode !== 0 || !body.priTmplId) throw new Error(`addtemplate ${tid}: ${res.body}`);
  return body.priTmplId;
}

type Body = Record<string, unknown> | undefined;

/** The consent routes as a signed-in user calls them. */
export function consentClient(s: TestServer, user: { token: string }) {
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: Body) =>
    s.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${user.token}` },
      ...(payload === undefined ? {} : { payload }),
    });
  return {
    prepare: (appid: string, body: Body) => call('POST', `/api/apps/${appid}/subscriptions/prepare`, body),
    subscribe: (appid: string, body: Body) => call('POST', `/api/apps/${appid}/subscriptions`, body),
    settings: (appid: string) => call('GET', `/api/apps/${appid}/settings`),
    changeSettings: (appid: string, body: Body) => call('PUT', `/api/apps/${appid}/settings`, body),
  };
}

/** What a consent test starts from: a fresh server, an app, alice signed in, and her consent client. */
export interface ConsentWorld {
  s: TestServer;
  app: { appid: string; secret: string };
  alice: SignedInUser;
  c: ReturnType<typeof consentClient>;
}

/**
 * Registers the `beforeEach` that builds a {@link ConsentWorld} and the `afterEach` that closes its server;
 * returns the world, whose properties are filled in before each test.
 */
export function useConsentWorld(): ConsentWorld {
  const w = {} as ConsentWorld;
  beforeEach(async () => {
    w.s = await testServer();
    w.app = await w.s.newApp();
    w.alice = await signUp(w.s, 'alice');
    w.c = consentClient(w.s, w.alice);
  });
  afterEach(() => w.s.close());
  return w;
}
