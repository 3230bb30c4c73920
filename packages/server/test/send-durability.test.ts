import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { InboxPage } from '@beckon/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildServer, call, operator, type Server } from './support/built-server.js';

/**
 * The built server as an operator runs it, killed with SIGKILL in the middle of a send load: every msgid it
 * answered must be in the user's inbox after a restart (an answered send is a committed send).
 */

const SENDS = 25;
const GRANTS = 60;

const { dataDir, beckon, startServer } = operator('beckon-durability-');

let server: Server | undefined;

beforeAll(buildServer, 120_000);

afterAll(() => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('send durability', () => {
  test(`${SENDS} answered sends survive kill -9`, async () => {
    server = await startServer();
    const admin = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();

    const app = (
      await call(server, 'POST', '/admin/apps', {
        bearer: admin,
        body: { name: 'Shop', type: 'miniprogram' },
      })
    ).json as { appid: string; secret: string };
    const accessToken = (
      await call(
        server,
        'GET',
        `/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`,
      )
    ).json.access_token as string;
    const added = await call(server, 'POST', `/wxaapi/newtmpl/addtemplate?access_token=${accessToken}`, {
      body: { tid: 1101, kidList: [1, 2, 5], sceneDesc: 'durability' },
    });
    const tmpl = added.json.priTmplId as string;
    expect(tmpl, added.text).toBeTruthy();

    // A user, as the shell makes one: register, sign in, wx.login, code2Session.
    const credentials = { username: 'alice', password: 'correct horse battery' };
    expect((await call(server, 'POST', '/api/accounts', { body: credentials })).status).toBe(201);
    const session = (await call(server, 'POST', '/api/sessions', { body: credentials })).json.token as string;
    const code = (await call(server, 'POST', `/api/apps/${app.appid}/login`, { bearer: session })).json.code;
    const openid = (
      await call(
        server,
        'GET',
        `/sns/jscode2session?appid=${app.appid}&secret=${app.secret}&js_code=${code}&grant_type=authorization_code`,
      )
    ).json.openid as string;
    expect(openid).toMatch(/^o/);

    // One grant per accepted request, through the consent routes.
    for (let i = 0; i < GRANTS; i++) {
      await call(server, 'POST', `/api/apps/${app.appid}/subscriptions/prepare`, {
        bearer: session,
        body: { tmplIds: [tmpl] },
      });
      const answer = await call(server, 'POST', `/api/apps/${app.appid}/subscriptions`, {
        bearer: session,
        body: { tmplIds: [tmpl], accepted: [tmpl] },
      });
      expect(answer.json[tmpl], answer.text).toBe('accept');
    }

    // A send load (4 senders at once; 43108 answers are part of it), killed with SIGKILL while sends are
    // still in flight, as soon as SENDS have been answered with a msgid.
    const msgids: string[] = [];
    const running = server;
    const send = (to: Server, i: number) =>
      call(to, 'POST', `/cgi-bin/message/subscribe/send?access_token=${accessToken}`, {
        body: {
          touser: openid,
          template_id: tmpl,
          data: {
            character_string1: { value: `DD${1000 + i}` },
            thing2: { value: `第${i + 1}件` },
            time5: { value: '2019年10月1日 15:01' },
          },
        },
      });
    let n = 0;
    const sender = async () => {
      while (msgids.length < SENDS) {
        const res = await send(running, n++).catch(() => undefined); // the kill cuts requests in flight
        const digits = res && /^\{"errcode":0,"errmsg":"ok","msgid":(\d+)\}$/.exec(res.text)?.[1];
        if (digits) msgids.push(digits);
        if (msgids.length >= SENDS && running.child.exitCode === null) running.child.kill('SIGKILL');
      }
    };
    await Promise.all([sender(), sender(), sender(), sender()]);
    expect(await server.exited).toBeNull();

    server = await startServer();
    const inbox: string[] = [];
    let cursor: string | null = null;
    do {
      const page: InboxPage = (
        await call(server, 'GET', `/api/inbox?limit=10${cursor ? `&cursor=${cursor}` : ''}`, {
          bearer: session,
        })
      ).json;
      inbox.push(...page.cards.map((c) => c.msgid));
      cursor = page.nextCursor;
    } while (cursor);
    // Every answered msgid is there; a send cut by the kill after its commit may be there too.
    expect(new Set(msgids).size).toBe(msgids.length);
    for (const msgid of msgids) expect(inbox).toContain(msgid);
    expect(inbox.length).toBeLessThanOrEqual(GRANTS);

    // The ledger too: exactly GRANTS - (messages stored) sends pass now, and the next is 43101.
    const answers: number[] = [];
    for (let i = 0; i <= GRANTS - inbox.length; i++)
      answers.push((await send(server, 1000 + i)).json.errcode);
    expect(answers).toEqual([...Array(GRANTS - inbox.length).fill(0), 43101]);

    // `beckon app send-cap` against the running server (its admin API).
    const capped = await beckon('app', 'send-cap', app.appid, '7', '--json');
    expect(capped.stderr).toBe('');
    expect(JSON.parse(capped.stdout)).toMatchObject({ appid: app.appid, dailySendCap: 7 });
    const shown = await beckon('app', 'show', app.appid);
    expect(shown.stdout).toMatch(/send cap\s+7 a day\n/);
    const reset = await beckon('app', 'send-cap', app.appid, 'default', '--json');
    expect(JSON.parse(reset.stdout).dailySendCap).toBeNull();
    const bad = await beckon('app', 'send-cap', app.appid, 'lots');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/send-cap needs N/);

    server.child.kill('SIGTERM');
    await server.exited;
  }, 60_000);
});
