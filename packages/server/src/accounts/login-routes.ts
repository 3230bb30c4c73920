import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { type Code2SessionQuery, code2Session } from './login-codes.js';

/** Every field optional at the schema level, so the handler reports what is missing in WeChat's order. */
const query = {
  type: 'object',
  properties: {
    appid: { type: 'string' },
    secret: { type: 'string' },
    js_code: { type: 'string' },
    grant_type: { type: 'string' },
  },
} as const;

/** `GET /sns/jscode2session`: WeChat-facing, credentials in the query, no access token (spec §1.2). */
export function registerLoginRoutes(app: FastifyInstance, ctx: Context): void {
  app.get<{ Querystring: Code2SessionQuery }>(
    '/sns/jscode2session',
    { schema: { querystring: query } },
    (request) => code2Session(ctx, request.query),
  );
}
