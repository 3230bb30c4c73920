import type { SendRequest } from '@beckon/protocol';
import type { BrowserTestServer } from '../../../client/test/support/server.js';
import { asUser } from './phone.js';

/** An app's backend as the tests play it: its access token and the user's openid in the app. */
export interface Backend {
  app: { appid: string; secret: string };
  token: string;
}

export async function backendOf(
  world: BrowserTestServer,
  app: { appid: string; secret: string },
): Promise<Backend> {
  return { app, token: await world.server.tokenFor(app) };
}

/** The user's openid in the app, as the app's backend learns it: `wx.login`'s code, then code2Session. */
export async function openidOf(
  world: BrowserTestServer,
  backend: Backend,
  userToken: string,
): Promise<string> {
  const { code } = (await asUser(world, userToken, 'POST', `/api/apps/${backend.app.appid}/login`)) as {
    code: string;
  };
  const res = await world.server.app.inject({
    method: 'GET',
    url: '/sns/jscode2session',
    query: {
      appid: backend.app.appid,
      secret: backend.app.secret,
      js_code: code,
      grant_type: 'authorization_code',
    },
  });
  const openid = (res.json() as { openid?: string }).openid;
  if (!openid) throw new Error(`jscode2session: ${res.body}`);
  return openid;
}

/** `count` accepts of the template by the user, through the consent routes (as the shell records them). */
export async function allow(
  world: BrowserTestServer,
  userToken: string,
  appid: string,
  templateId: string,
  count = 1,
): Promise<void> {
  for (let i = 0; i < count; i++)
    await asUser(world, userToken, 'POST', `/api/apps/${appid}/subscriptions`, {
      tmplIds: [templateId],
      accepted: [templateId],
    });
}

/** `POST /cgi-bin/message/subscribe/send` as the app's backend calls it; the answer's errcode. */
export async function send(world: BrowserTestServer, backend: Backend, body: SendRequest): Promise<number> {
  const res = await world.server.app.inject({
    method: 'POST',
    url: `/cgi-bin/message/subscribe/send?access_token=${backend.token}`,
    payload: body,
  });
  return (res.json() as { errcode: number }).errcode;
}

/** tid 1101 订单发货提醒's five keywords with plain values; `over` replaces some. */
export const shipped = (over: Record<string, string> = {}): SendRequest['data'] => {
  const values: Record<string, string> = {
    character_string1: 'DD2019100100123',
    thing2: '无线蓝牙耳机',
    thing3: '顺丰速运',
    character_string4: 'SF1234567890123',
    time5: '2019年10月1日 15:01',
    ...over,
  };
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value }]));
};
