import { ApiError, Errors } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { getAccessToken, getStableAccessToken } from './tokens.js';

const credentials = {
  type: 'object',
  properties: {
    grant_type: { type: 'string' },
    appid: { type: 'string' },
    secret: { type: 'string' },
  },
} as const;

export function registerTokenRoutes(app: FastifyInstance, ctx: Context): void {
  app.get<{ Querystring: { grant_type?: string; appid?: string; secret?: string } }>(
    '/cgi-bin/token',
    { schema: { querystring: credentials } },
    (request) => getAccessToken(ctx, request.query),
  );

  app.post<{
    Body: { grant_type?: string; appid?: string; secret?: string; force_refresh?: boolean } | undefined;
  }>(
    '/cgi-bin/stable_token',
    {
      schema: {
        body: {
          ...credentials,
          properties: { ...credentials.properties, force_refresh: { type: 'boolean' } },
        },
      },
    },
    (request) => {
      // An empty body is a request without an appid, as WeChat treats it.
      return getStableAccessToken(ctx, request.body ?? {});
    },
  );

  app.get('/cgi-bin/stable_token', { schema: { querystring: { type: 'object' } } }, () => {
    throw new ApiError(Errors.REQUIRE_POST);
  });
}
