import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { createApp } from '../apps/service.js';
import { buildServer } from '../server.js';
import { ADMIN_TOKEN, type TestServer, testContext, testServer } from '../test-support/harness.js';

const RID = / rid: ([0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8})$/;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function quiet(): Promise<TestServer> {
  const s = await testServer();
  cleanups.push(() => s.close());
  return s;
}

/** A server whose pino log lines are collected, parsed, in `lines`. */
async function logged(): Promise<{
  app: FastifyInstance;
  lines: () => Record<string, unknown>[];
  raw: string[];
}> {
  const ctx = testContext();
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      raw.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const app = await buildServer(ctx, { adminToken: ADMIN_TOKEN, logger: { level: 'info', stream } });
  cleanups.push(async () => {
    await app.close();
    await ctx.store.close();
  });
  await createApp(ctx, { name: 'Logged', type: 'miniprogram' });
  return {
    app,
    raw,
    lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

function ridOf(body: { errmsg: string }): string {
  const match = RID.exec(body.errmsg);
  expect(match, body.errmsg).not.toBeNull();
  return match![1]!;
}

describe('request log', () => {
  test('one line per request, whose reqId is the rid of the errmsg', async () => {
    const { app, lines } = await logged();
    const first = await app.inject({ method: 'GET', url: '/cgi-bin/token?grant_type=client_credential' });
    const second = await app.inject({ method: 'GET', url: '/cgi-bin/token?grant_type=client_credential' });
    const rids = [ridOf(first.json()), ridOf(second.json())];
    expect(rids[0]).not.toBe(rids[1]);
    for (const rid of rids) {
      const mine = lines().filter((l) => l.reqId === rid);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        method: 'GET',
        url: '/cgi-bin/token?grant_type=client_credential',
        status: 200,
        errcode: 41002,
      });
    }
  });

  test('a successful request is logged once too, without errcode', async () => {
    const { app, lines } = await logged();
    const res = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'request-id': 'chosen-by-client' },
    });
    expect(res.statusCode).toBe(200);
    expect(lines()).toHaveLength(1);
    expect(lines()[0]!.reqId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(lines()[0]).not.toHaveProperty('errcode');
  });

  test("what a handler logs through request.log carries the request's reqId, like its line", async () => {
    const { app, lines } = await logged();
    app.get('/logs', { schema: {} }, async (request) => {
      request.log.warn({ why: 'test' }, 'from the handler');
      expect(request.log.child({ more: 1 }).level).toBe('info');
      return { ok: true };
    });
    const res = await app.inject({ method: 'GET', url: '/logs' });
    expect(res.statusCode).toBe(200);
    const handler = lines().find((l) => l.msg === 'from the handler');
    const line = lines().find((l) => l.msg === 'request' && l.url === '/logs');
    expect(handler).toMatchObject({ level: 40, why: 'test' });
    expect(handler?.reqId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(line?.reqId).toBe(handler?.reqId);
  });

  test('access_token, secret and js_code values never reach the log', async () => {
    const { app, lines, raw } = await logged();
    const secret = 'f00dfeedf00dfeedf00dfeedf00dfeed';
    const token = `12_${'S'.repeat(133)}`;
    const a = await app.inject({
      method: 'GET',
      url: `/cgi-bin/token?grant_type=client_credential&appid=wx0123456789abcdef&secret=${secret}`,
    });
    const b = await app.inject({
      method: 'POST',
      url: `/wxa/unknown?access_token=${token}&x=1`,
      payload: {},
    });
    const c = await app.inject({
      method: 'GET',
      url: `/sns/jscode2session?js_code=CODE123456&secret=${secret}`,
    });
    // A percent-encoded name is the same parameter to the server, so it is masked too.
    const d = await app.inject({
      method: 'GET',
      url: `/cgi-bin/token?grant_type=client_credential&appid=wx0123456789abcdef&%73ecret=${secret}`,
    });
    // The same url again: its masked form now comes from the log's cache.
    const e = await app.inject({
      method: 'POST',
      url: `/wxa/unknown?access_token=${token}&x=1`,
      payload: {},
    });
    for (const res of [a, b, c, d, e]) {
      const rid = ridOf(res.json());
      expect(lines().filter((l) => l.reqId === rid)).toHaveLength(1);
    }
    const urls = lines().map((l) => l.url);
    expect(urls).toEqual([
      '/cgi-bin/token?grant_type=client_credential&appid=wx0123456789abcdef&secret=***',
      '/wxa/unknown?access_token=***&x=1',
      '/sns/jscode2session?js_code=***&secret=***',
      '/cgi-bin/token?grant_type=client_credential&appid=wx0123456789abcdef&secret=***',
      '/wxa/unknown?access_token=***&x=1',
    ]);
    const all = raw.join('\n');
    for (const value of [secret, token, 'CODE123456']) expect(all).not.toContain(value);
  });

  test('an unexpected fault is logged once, with its stack, at error level', async () => {
    const { app, lines } = await logged();
    app.get('/wxa/test-fault', { schema: { querystring: { type: 'object' } } }, async () => {
      throw new Error('boom');
    });
    const res = await app.inject({ method: 'GET', url: '/wxa/test-fault' });
    expect(res.statusCode).toBe(200);
    const rid = ridOf(res.json());
    expect(res.json().errcode).toBe(-1);
    const mine = lines().filter((l) => l.reqId === rid);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ level: 50, errcode: -1, err: { message: 'boom' } });
    expect((mine[0]!.err as { stack: string }).stack).toContain('errors.test.ts');
  });
});

describe('unknown paths', () => {
  test('a WeChat-looking path answers HTTP 200 40066 invalid url (paths are case-sensitive)', async () => {
    const s = await quiet();
    for (const url of ['/sns/jsCode2Session', '/cgi-bin/nothing', '/wxaapi/newtmpl/nothing', '/wxa/x']) {
      const res = await s.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.json().errcode, url).toBe(40066);
      expect(res.json().errmsg).toMatch(/^invalid url rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    }
    const wrongMethod = await s.app.inject({ method: 'DELETE', url: '/cgi-bin/token' });
    expect(wrongMethod.statusCode).toBe(200);
    expect(wrongMethod.json().errcode).toBe(40066);
  });

  test('any other path is HTTP 404 with errcode 91001', async () => {
    const s = await quiet();
    for (const url of ['/nope', '/cgi-bin', '/admin/nothing', '/api/nothing']) {
      const res = await s.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().errcode, url).toBe(91001);
      expect(res.json().errmsg).toMatch(RID);
    }
  });
});

describe('odd input never gives a 500', () => {
  test('oversized, mislabelled and malformed bodies map to documented codes', async () => {
    const s = await quiet();
    const cases: { payload: string; headers: Record<string, string>; url?: string; code: number }[] = [
      {
        payload: `{"a":"${'x'.repeat(1024 * 1024)}"}`,
        headers: { 'content-type': 'application/json' },
        code: 47001,
      },
      { payload: '{', headers: { 'content-type': 'application/x-www-form-urlencoded' }, code: 47001 },
      {
        payload: 'grant_type=a&grant_type=b',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        code: 47001,
      },
      { payload: '\u0000\u0001', headers: { 'content-type': 'application/octet-stream' }, code: 47001 },
      { payload: '{}', headers: { 'content-type': 'application/json; charset=latin-99' }, code: 40002 },
      { payload: 'null', headers: { 'content-type': 'application/json' }, code: 47001 },
    ];
    for (const c of cases) {
      const res = await s.app.inject({ method: 'POST', url: '/cgi-bin/stable_token', ...c });
      expect(res.statusCode, c.payload.slice(0, 20)).toBe(200);
      expect(res.json().errcode, `${c.headers['content-type']} ${c.payload.slice(0, 20)}`).toBe(c.code);
    }
    const admin = await s.app.inject({
      method: 'POST',
      url: '/admin/apps',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      payload: '{',
    });
    expect(admin.statusCode).toBe(400);
    expect(admin.json().errcode).toBe(47001);
  });
});
