import Fastify, { type FastifyInstance } from 'fastify';
import { registerAccountClientRoutes } from './accounts/client-routes.js';
import { registerLoginRoutes } from './accounts/login-routes.js';
import { registerAppAdminRoutes } from './apps/admin-routes.js';
import { registerAppClientRoutes } from './apps/client-routes.js';
import { registerTokenRoutes } from './apps/token-routes.js';
import { registerCallAdminRoutes } from './calls/admin-routes.js';
import { registerCallRecordRoutes } from './calls/record-routes.js';
import { registerConsentRoutes } from './consent/routes.js';
import type { Context } from './context.js';
import { registerPushAdminRoutes } from './events/admin-routes.js';
import { registerFriendClientRoutes } from './friends/client-routes.js';
import { registerGameAdminRoutes } from './games/admin-routes.js';
import { registerGameClientRoutes } from './games/client-routes.js';
import { registerGameOpenRoutes } from './games/open-routes.js';
import { type GatewayOptions, registerGateway } from './gateway/gateway.js';
import { requireAccessToken } from './http/access-token.js';
import { requireAdmin } from './http/admin-auth.js';
import { registerBodyParsers } from './http/body-parsers.js';
import { registerClientSdkRoutes } from './http/client-sdk.js';
import { registerErrorHandling } from './http/errors.js';
import { RequestLog } from './http/request-log.js';
import { registerStatusRoute } from './http/status.js';
import { registerWebApp } from './http/web-app.js';
import { newRequestId } from './ids.js';
import { registerInboxRoutes } from './messages/inbox-routes.js';
import { registerSendRoutes } from './messages/send-route.js';
import { registerTemplateRoutes } from './templates/routes.js';

export interface ServerOptions {
  adminToken: string;
  /** pino options, or false for silence (tests). */
  logger?: boolean | Record<string, unknown>;
  /** Timings and ICE servers of `/ws`. */
  gateway?: GatewayOptions;
}

/**
 * The HTTP server, routes grouped by audience: the WeChat-compatible open API (token, sns, business APIs
 * behind the access-token hook), the client API for the platform shell, and the admin API.
 */
export async function buildServer(ctx: Context, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: () => newRequestId(),
    logController: new RequestLog(),
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
  // Every route declares a schema (bad input must map to a documented code, never reach a handler raw).
  app.addHook('onRoute', (route) => {
    if (!route.schema) throw new Error(`route ${route.method} ${route.url} has no schema`);
  });
  registerBodyParsers(app);
  registerErrorHandling(app);
  registerStatusRoute(app);
  registerWebApp(app);
  registerClientSdkRoutes(app);

  // Open API: credentials in the query or body.
  registerTokenRoutes(app, ctx);
  registerLoginRoutes(app, ctx);

  // Open API: business routes, each behind the shared access-token hook.
  await app.register(async (business) => {
    requireAccessToken(business, ctx);
    registerTemplateRoutes(business, ctx);
    registerSendRoutes(business, ctx);
    registerCallRecordRoutes(business, ctx);
    registerGameOpenRoutes(business, ctx);
  });

  // Client API for the platform shell: JSON, HTTP statuses from the registry, session bearer tokens.
  await app.register(async (client) => {
    registerAccountClientRoutes(client, ctx);
    registerFriendClientRoutes(client, ctx);
    registerAppClientRoutes(client, ctx);
    registerConsentRoutes(client, ctx);
    registerInboxRoutes(client, ctx);
    registerGameClientRoutes(client, ctx);
  });

  await app.register(async (admin) => {
    requireAdmin(admin, options.adminToken);
    registerAppAdminRoutes(admin, ctx);
    registerPushAdminRoutes(admin, ctx);
    registerCallAdminRoutes(admin, ctx);
    registerGameAdminRoutes(admin, ctx);
  });

  // The WebSocket /ws (inbox push, call signaling), on the same HTTP server: upgrades never reach the routes.
  registerGateway(app, ctx, options.gateway);

  return app;
}
