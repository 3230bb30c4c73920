import type { PushFormat, PushMode } from '@beckon/protocol';
import { afterEach, beforeEach } from 'vitest';
import { consentClient } from '../../consent/test-support/shell.js';
import {
  addTemplate,
  type Recipient,
  send,
  signUpRecipient,
  type TestApp,
} from '../../messages/test-support/send.js';
import { ADMIN_TOKEN, type TestServer, testServer } from '../../test-support/harness.js';
import { type DispatcherOptions, PushDispatcher } from '../dispatcher.js';
import { type Receiver, startReceiver } from './receiver.js';

export const PUSH_TOKEN = 'PushToken123';
export const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

/** Around message push: a server, an app with push pointed at a real receiver, alice, two templates. */
export interface PushWorld {
  s: TestServer;
  app: TestApp & { originalId: string };
  accessToken: string;
  receiver: Receiver;
  alice: Recipient & { token: string };
  /** Two private templates of the app (tid 1101 and 1102). */
  a: string;
  b: string;
  consent: ReturnType<typeof consentClient>;
  /** A dispatcher on the server's context (ManualClock): `await w.dispatcher.drain()`. */
  dispatcher: PushDispatcher;
  /** Points push at the receiver through the admin API (the URL check included). */
  enable(format?: PushFormat, mode?: PushMode): Promise<void>;
  /** A send to alice (template `a` unless told) through the open API; returns the msgid when it was delivered. */
  sendToAlice(templateId?: string): Promise<{ errcode: number; msgid?: bigint }>;
  /** The event bodies the receiver was POSTed, parsed as JSON. */
  jsonPosts(): Record<string, unknown>[];
}

export function usePushWorld(options: DispatcherOptions = {}): PushWorld {
  const w = {} as PushWorld;
  beforeEach(async () => {
    w.s = await testServer();
    const app = await w.s.newApp();
    w.app = app;
    w.accessToken = await w.s.tokenFor(app);
    w.receiver = await startReceiver();
    const alice = await signUpRecipient(w.s, app, 'alice');
    w.alice = { ...alice, token: alice.token! };
    w.a = await addTemplate(w.s, app, 1101, [1, 2]);
    w.b = await addTemplate(w.s, app, 1102, [1, 2]);
    w.consent = consentClient(w.s, w.alice);
    w.dispatcher = new PushDispatcher(w.s.ctx, options);
    w.enable = async (format = 'json', mode = 'plaintext') => {
      const res = await w.s.app.inject({
        method: 'PUT',
        url: `/admin/apps/${app.appid}/push`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        payload: { url: w.receiver.url, token: PUSH_TOKEN, encodingAESKey: AES_KEY, format, mode },
      });
      if (res.statusCode !== 200) throw new Error(`enable push: ${res.body}`);
    };
    w.sendToAlice = async (templateId = w.a) => {
      const answer = await send(w.s, w.accessToken, {
        touser: w.alice.openid,
        template_id: templateId,
        data: { character_string1: { value: 'DD2019100100123' }, thing2: { value: '无线蓝牙耳机' } },
      });
      return { errcode: answer.errcode, ...(answer.msgid ? { msgid: answer.msgid } : {}) };
    };
    w.jsonPosts = () => w.receiver.posts().map((r) => JSON.parse(r.body) as Record<string, unknown>);
  });
  afterEach(async () => {
    await w.dispatcher.stop();
    await w.receiver.close();
    await w.s.close();
  });
  return w;
}
