import type { FastifyInstance } from 'fastify';
import { authenticate } from '../apps/tokens.js';
import type { Context } from '../context.js';
import type { AppRecord } from '../store/port.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The app whose access token authorised this business-API request. */
    wxApp: AppRecord;
  }
}

/**
 * The one hook every business API shares: `access_token` from the query string only (a token in the body
 * counts as missing, 41001), resolved to its app.
 */
export function requireAccessToken(scope: FastifyInstance, ctx: Context): void {
  scope.decorateRequest('wxApp', null as unknown as AppRecord);
  scope.addHook('preHandler', async (request) => {
    const token = (request.query as { access_token?: unknown } | undefined)?.access_token;
    request.wxApp = await authenticate(ctx, typeof token === 'string' ? token : undefined);
  });
}
