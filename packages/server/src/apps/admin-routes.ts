import { APP_TYPES, APP_URL_MAX_LENGTH, type AppPatchRequest } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { appidParam, type WithAppid } from '../http/admin-params.js';
import {
  createApp,
  getApp,
  listApps,
  type NewApp,
  resetRtcKey,
  resetSecret,
  setDailySendCap,
  setPages,
  setSubscribeBanned,
  toAppView,
  updateApp,
} from './service.js';

const appName = { type: 'string', minLength: 1, maxLength: 64 } as const;
// The service checks what a URL must be and says so; the schema only bounds the work.
const appUrl = { type: ['string', 'null'], maxLength: APP_URL_MAX_LENGTH } as const;

/** `/admin/apps…`: the operator's view of apps (the CLI talks to these when a server is running). */
export function registerAppAdminRoutes(app: FastifyInstance, ctx: Context): void {
  app.post<{ Body: NewApp }>(
    '/admin/apps',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name', 'type'],
          additionalProperties: false,
          properties: {
            name: appName,
            type: { type: 'string', enum: [...APP_TYPES] },
            owner: { type: 'string', maxLength: 64 },
            icon: appUrl,
            frontend: appUrl,
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

  app.patch<WithAppid & { Body: AppPatchRequest }>(
    '/admin/apps/:appid',
    {
      schema: {
        params: appidParam,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { name: appName, icon: appUrl, frontend: appUrl },
        },
      },
    },
    async (request) => toAppView(await updateApp(ctx, request.params.appid, request.body)),
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
