import { USER_ID_MAX_LENGTH, USERSIG_MAX_EXPIRE_SECONDS, type UserSigRequest } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { issueUserSig } from './credentials.js';

/** `POST /admin/usersig`: a development userSig for one of the apps (`beckon usersig` calls it). */
export function registerCallAdminRoutes(app: FastifyInstance, ctx: Context): void {
  app.post<{ Body: UserSigRequest }>(
    '/admin/usersig',
    {
      schema: {
        body: {
          type: 'object',
          required: ['sdkAppId', 'userId'],
          additionalProperties: false,
          properties: {
            sdkAppId: { type: 'integer', minimum: 1 },
            // The charset is checked by issueUserSig, so a bad userID gets its own code (7003).
            userId: { type: 'string', maxLength: USER_ID_MAX_LENGTH * 4 },
            expire: { type: 'integer', minimum: 1, maximum: USERSIG_MAX_EXPIRE_SECONDS },
          },
        },
      },
    },
    async (request) => issueUserSig(ctx, request.body),
  );
}
