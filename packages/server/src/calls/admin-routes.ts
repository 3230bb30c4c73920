import { USER_ID_MAX_LENGTH, USERSIG_MAX_EXPIRE_SECONDS, type UserSigRequest } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { appidParam, type WithAppid } from '../http/admin-params.js';
import { issueUserSig } from './credentials.js';
import { getCallSettings, setCallSettings } from './settings.js';

const settingsBody = {
  type: 'object',
  required: ['multiDevice'],
  additionalProperties: false,
  properties: { multiDevice: { type: 'boolean' } },
} as const;

/**
 * `POST /admin/usersig`: a development userSig for one of the apps (`beckon usersig` calls it).
 * `GET|PUT /admin/apps/:appid/calls`: the app's calling options (`beckon app calls`).
 */
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

  app.get<WithAppid>('/admin/apps/:appid/calls', { schema: { params: appidParam } }, (request) =>
    getCallSettings(ctx, request.params.appid),
  );

  app.put<WithAppid & { Body: { multiDevice: boolean } }>(
    '/admin/apps/:appid/calls',
    { schema: { params: appidParam, body: settingsBody } },
    (request) => setCallSettings(ctx, request.params.appid, request.body),
  );
}
