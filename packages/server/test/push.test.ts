import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PushDeliveryView } from '@beckon/protocol';
import { decryptPush } from '@beckon/protocol/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deadUrl, type Receiver, startReceiver } from '../src/events/test-support/receiver.js';
import { buildServer, call, eventually, operator, type Server } from './support/built-server.js';

/**
 * Message push as an operator runs it: `beckon app push` / `push-log` against the built server, and a
 * pending event that survives a kill -9 and is delivered by the restarted server.
 */

const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const { dataDir, beckon, beckonJson, startServer } = operator('beckon-push-');

let server: Server | undefined;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  await buildServer();
}, 120_000);

afterAll(async () => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  await receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('beckon app push, push-log, and delivery across a restart', () => {
  test('configure through the CLI, survive kill -9 with events pending, deliver them in order after', async () => {
    server = await startServer();
    const admin = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const app = await beckonJson<{ appid: string; secret: string; originalId: string }>(
      'app',
      'create',
      '--name',
      'Shop',
      '--type',
      'miniprogram',
    );

    // Bad input and a failing URL check: exit 1, a clear message, nothing kept.
    const missing = await beckon('app', 'push', app.appid, '--url', receiver.url);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^beckon: app push needs --url URL and --token TOKEN \(or --off\)/);
    const dead = await deadUrl();
    const refused = await beckon('app', 'push', app.appid, '--url', dead, '--token', 'Token123');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^beckon: message push URL could not be reached: .*ECONNREFUSED.*\(errcode 93002\)/,
    );
    const toReceiver = ['--url', receiver.url, '--token', 'Token123'];
    const noKey = await beckon('app', 'push', app.appid, ...toReceiver, '--mode', 'secure');
    expect(noKey.stderr).toMatch(/encodingAESKey is required in secure mode .*\(errcode 93001\)/);
    expect(await beckonJson('app', 'push', app.appid)).toEqual({ appid: app.appid, enabled: false });

    const enabled = await beckonJson(
      'app',
      'push',
      app.appid,
      ...toReceiver,
      '--aes-key',
      AES_KEY,
      '--format',
      'xml',
      '--mode',
      'secure',
    );
    expect(enabled).toMatchObject({ enabled: true, url: receiver.url, format: 'xml', mode: 'secure' });
    const shown = await beckon('app', 'push', app.appid);
    expect(shown.stdout).toContain(`url          ${receiver.url}\n`);
    expect(shown.stdout).toContain('aes key      …DEFG\n');
    expect(shown.stdout).not.toContain(AES_KEY);

    // The receiver is down for events (500) from now on.
    let accept = false;
    receiver.answer((r) =>
      r.method === 'GET' ? { body: r.query.echostr } : accept ? { body: 'success' } : { status: 500 },
    );

    // Two popup events for one user: register, sign in, add two templates, answer two popups.
    const token = (
      await call(
        server,
        'GET',
        `/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`,
      )
    ).json.access_token as string;
    const tmpls: string[] = [];
    for (const tid of [1101, 1102]) {
      const added = await call(server, 'POST', `/wxaapi/newtmpl/addtemplate?access_token=${token}`, {
        body: { tid, kidList: [1, 2], sceneDesc: 'push' },
      });
      tmpls.push(added.json.priTmplId as string);
    }
    const credentials = { username: 'alice', password: 'correct horse battery' };
    expect((await call(server, 'POST', '/api/accounts', { body: credentials })).status).toBe(201);
    const session = (await call(server, 'POST', '/api/sessions', { body: credentials })).json.token as string;
    for (const tmpl of tmpls) {
      const answer = await call(server, 'POST', `/api/apps/${app.appid}/subscriptions`, {
        bearer: session,
        body: { tmplIds: [tmpl], accepted: [tmpl] },
      });
      expect(answer.json[tmpl]).toBe('accept');
    }

    // The first event is tried (and refused); the second waits behind it.
    const log = () => beckonJson<PushDeliveryView[]>('app', 'push-log', app.appid);
    await eventually(async () => (await log()).some((d) => d.attempts === 1), 15_000);
    const human = await beckon('app', 'push-log', app.appid, '--status', 'pending', '--limit', '1');
    expect(human.stdout).toMatch(
      /^\s+\d+\s+pending\s+subscribe_msg_popup_event\s+o\S+\s+attempts 0\s+next 20/,
    );

    server.child.kill('SIGKILL');
    await server.exited;
    accept = true;
    // Stopped: the CLI reads the data dir itself. (A retry may have come before the kill: 5 s after.)
    const before = await log();
    expect(before.map((d) => [d.event, d.status, d.lastStatus])).toEqual([
      ['subscribe_msg_popup_event', 'pending', null],
      ['subscribe_msg_popup_event', 'pending', 500],
    ]);
    const tried = before[1]!.attempts;
    expect(before[0]!.attempts).toBe(0);
    expect(tried).toBeGreaterThanOrEqual(1);
    expect(receiver.posts()).toHaveLength(tried);

    server = await startServer();
    // The first retry is due 5 s after the refused attempt; both go then, in order.
    await eventually(async () => (await log()).every((d) => d.status === 'delivered'), 15_000);
    const after = await log();
    expect(after.map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', tried + 1],
    ]);
    const posts = receiver.posts();
    expect(posts).toHaveLength(tried + 2);
    const templates = posts.map((p) => {
      const encrypt = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(p.body)![1]!;
      const inner = decryptPush(AES_KEY, encrypt);
      expect(inner.appid).toBe(app.appid);
      return /<TemplateId><!\[CDATA\[([^\]]+)\]\]>/.exec(inner.message)![1];
    });
    expect(templates).toEqual([...Array(tried + 1).fill(tmpls[0]), tmpls[1]]);

    // Off: the next consent change pushes nothing.
    expect(await beckonJson('app', 'push', app.appid, '--off')).toEqual({ appid: app.appid, enabled: false });
    await call(server, 'PUT', `/api/apps/${app.appid}/settings`, {
      bearer: session,
      body: { mainSwitch: false },
    });
    expect(
      (await call(server, 'GET', `/admin/apps/${app.appid}/push/deliveries`, { bearer: admin })).json
        .deliveries,
    ).toHaveLength(2);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 60_000);
});
