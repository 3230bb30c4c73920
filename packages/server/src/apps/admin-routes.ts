import { APP_TYPES, type AppType } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { appidParam, type WithAppid } from '../http/admin-params.js';
import {
  createApp,
  getApp,
  listApps,
  resetRtcKey,
  resetSecret,
  setDailySendCap,
  setPages,
  setSubscribeBanned,
  toAppView,
} from './service.js';

/** `/admin/apps…`: the operator's view of apps (the CLI talks to these when a server is running). */
export function registerAppAdminRoutes(app: FastifyInstance, ctx: Context): void {
  app.post<{ Body: { name: string; type: AppType; owner?: string } }>(
    '/admin/apps',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name', 'type'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 64 },
            type: { type: 'string', enum: [...APP_TYPES] },
            owner: { type: 'string', maxLength: 64 },
          },
        },
      },
    },
    async (request, reply) => reply.code(201).send(toAppView(await createApp(ctx, request.body), true)),
  );

  app.get('/admin/apps', { schema: { querystring: { type: 'object' } } }, async () => ({
    apps: (await listApps(ctx)).map((a) => toAppView(a)),
  }));

  app.get<WithAppid>('/admin/apps/:appid', { schema: { params: appidParam } }, async (request) =>
    toAppView(await getApp(ctx, request.params.appid), true),
  );

  app.post<WithAppid>(
    '/admin/apps/:appid/reset-secret',
    { schema: { params: appidParam } },
    async (request) => toAppView(await resetSecret(ctx, request.params.appid), true),
  );

  app.post<WithAppid>(
    '/admin/apps/:appid/reset-rtc-key',
    { schema: { params: appidParam } },
    async (request) => toAppView(await resetRtcKey(ctx, request.params.appid), true),
  );

  app.post<WithAppid>('/admin/apps/:appid/ban', { schema: { params: appidParam } }, async (request) =>
    toAppView(await setSubscribeBanned(ctx, request.params.appid, true)),
  );

  app.post<WithAppid>('/admin/apps/:appid/unban', { schema: { params: appidParam } }, async (request) =>
    toAppView(await setSubscribeBanned(ctx, request.params.appid, false)),
  );

  app.put<WithAppid & { Body: { pages: string[] } }>(
    '/admin/apps/:appid/pages',
    {
      schema: {
        params: appidParam,
        body: {
          type: 'object',
          required: ['pages'],
          additionalProperties: false,
          properties: {
            pages: { type: 'array', maxItems: 500, items: { type: 'string', minLength: 1, maxLength: 256 } },
          },
        },
      },
    },
    async (request) => toAppView(await setPages(ctx, request.params.appid, request.body.pages)),
  );

  app.put<WithAppid & { Body: { dailySendCap: number | null } }>(
    '/admin/apps/:appid/send-cap',
    {
      schema: {
        params: appidParam,
        body: {
          type: 'object',
          required: ['dailySendCap'],
          additionalProperties: false,
          properties: { dailySendCap: { type: ['integer', 'null'], minimum: 0 } },
        },
      },
    },
    async (request) => toAppView(await setDailySendCap(ctx, request.params.appid, request.body.dailySendCap)),
  );
}
