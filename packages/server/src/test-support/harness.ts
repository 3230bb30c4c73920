import { APPID_PATTERN, type AppView } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import { createApp, toAppView } from '../apps/service.js';
import { MemoryBus } from '../bus/memory.js';
import { noIce } from '../calls/ice.js';
import { ManualClock } from '../clock.js';
import { type Config, defaultLimits, type Limits } from '../config.js';
import type { Context } from '../context.js';
import type { GatewayOptions } from '../gateway/gateway.js';
import { buildServer } from '../server.js';
import type { TemplateKeyword } from '../store/port.js';
import { openSqliteStore } from '../store/sqlite/index.js';

/** How every WeChat-shaped errmsg ends: ` rid: <request id>`. */
export const RID_SUFFIX = / rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/;

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** A context on an in-memory SQLite store, a memory bus and a clock that moves only when told. */
export function testContext(options: { limits?: Partial<Limits>; file?: string } = {}): Context & {
  clock: ManualClock;
} {
  const clock = new ManualClock();
  const config: Config = {
    host: '127.0.0.1',
    port: 0,
    dataDir: '/nonexistent',
    adminToken: ADMIN_TOKEN,
    databaseUrl: undefined,
    redisUrl: undefined,
    limits: { ...defaultLimits, ...options.limits },
    ice: noIce,
    demo: { enabled: false, samplesDir: undefined },
  };
  return { store: openSqliteStore(options.file ?? ':memory:'), bus: new MemoryBus(clock), clock, config };
}

export interface TestServer {
  app: FastifyInstance;
  ctx: Context & { clock: ManualClock };
  clock: ManualClock;
  /** Creates an app straight through the domain (the admin API has its own tests). */
  newApp(type?: 'miniprogram' | 'minigame'): Promise<AppView & { secret: string }>;
  /** A fresh `/cgi-bin/token` token for the app. */
  tokenFor(app: { appid: string; secret: string }): Promise<string>;
  close(): Promise<void>;
}

/** The whole HTTP server in-process, for `app.inject(...)`. */
export async function testServer(
  options: { limits?: Partial<Limits>; gateway?: GatewayOptions } = {},
): Promise<TestServer> {
  const ctx = testContext(options);
  const app = await buildServer(ctx, { adminToken: ADMIN_TOKEN, logger: false, gateway: options.gateway });
  return {
    app,
    ctx,
    clock: ctx.clock,
    async newApp(type = 'miniprogram') {
      const view = toAppView(await createApp(ctx, { name: `Test ${type}`, type }), true);
      if (!APPID_PATTERN.test(view.appid)) throw new Error('bad appid');
      return view as AppView & { secret: string };
    },
    async tokenFor({ appid, secret }) {
      const res = await app.inject({
        method: 'GET',
        url: '/cgi-bin/token',
        query: { grant_type: 'client_credential', appid, secret },
      });
      const body = res.json() as { access_token?: string };
      if (!body.access_token) throw new Error(`no token: ${res.body}`);
      return body.access_token;
    },
    async close() {
      await app.close();
      await ctx.bus.close();
      await ctx.store.close();
    },
  };
}

/**
 * Stores a private template of the library's banned title (tid 1108) as if the app had added it before
 * the ban: addtemplate itself refuses banned titles (200013).
 */
export async function storeBannedTemplate(
  s: TestServer,
  appid: string,
  priTmplId: string,
  keywords: TemplateKeyword[] = [],
): Promise<string> {
  await s.ctx.store.templates.add(
    {
      priTmplId,
      appid,
      tid: 1108,
      title: '优惠券到期提醒',
      type: 2,
      sceneDesc: 'before the ban',
      keywords,
      createdAt: s.clock.now(),
    },
    25,
  );
  return priTmplId;
}

const PASSWORD = 'correct horse battery';

export interface SignedInUser {
  token: string;
  userId: string;
}

/** Registers a user through the client API and signs them in, as the platform shell does. */
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

/** Adds a library title to the app through the real `addtemplate`; returns the priTmplId. */
export async function addLibraryTemplate(
  s: TestServer,
  app: { appid: string; secret: string },
  tid: number,
  kidList: number[],
): Promise<string> {
  const res = await s.app.inject({
    method: 'POST',
    url: `/wxaapi/newtmpl/addtemplate?access_token=${await s.tokenFor(app)}`,
    payload: { tid, kidList, sceneDesc: 'test' },
  });
  const body = res.json() as { errcode: number; priTmplId?: string };
  if (body.errcode !== 0 || !body.priTmplId) throw new Error(`addtemplate ${tid}: ${res.body}`);
  return body.priTmplId;
}
