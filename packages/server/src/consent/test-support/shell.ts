import { afterEach, beforeEach } from 'vitest';
import { callAs } from '../../test-support/client-api.js';
import {
  addLibraryTemplate,
  type SignedInUser,
  signUp,
  type TestServer,
  testServer,
} from '../../test-support/harness.js';

/** What the platform shell does around the consent routes, through the real HTTP API. */

export { type SignedInUser, signUp } from '../../test-support/harness.js';

/** Adds a private template from the library through `/wxaapi/newtmpl/addtemplate`; returns its id. */
export function addTemplate(
  s: TestServer,
  app: { appid: string; secret: string },
  tid: number,
  kidList: number[] = [1, 2],
): Promise<string> {
  return addLibraryTemplate(s, app, tid, kidList);
}

type Body = Record<string, unknown> | undefined;

/** The consent routes as a signed-in user calls them. */
export function consentClient(s: TestServer, user: { token: string }) {
  const call = callAs(s, user);
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
