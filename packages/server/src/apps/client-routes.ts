import type { AppCatalogue, AppListing } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { appidParam, type WithAppid } from '../http/admin-params.js';
import { requireSession } from '../http/session-auth.js';
import { appCatalogue, appListing } from './catalogue.js';

const noQuery = { type: 'object' } as const;

/**
 * The phone's app catalogue. `/api/apps/:appid/…` (login, subscriptions, settings) belong to their own
 * modules; these two are the apps' public facts only.
 */
export function registerAppClientRoutes(client: FastifyInstance, ctx: Context): void {
  client.register(async (signedIn) => {
    requireSession(signedIn, ctx);

    signedIn.get(
      '/api/apps',
      { schema: { querystring: noQuery } },
      (): Promise<AppCatalogue> => appCatalogue(ctx),
    );

    signedIn.get<WithAppid>(
      '/api/apps/:appid',
      { schema: { params: appidParam, querystring: noQuery } },
      (request): Promise<AppListing> => appListing(ctx, request.params.appid),
    );
  });
}
