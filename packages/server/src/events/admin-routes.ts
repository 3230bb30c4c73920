import {
  Errors,
  PUSH_DELIVERY_STATUSES,
  PUSH_FORMATS,
  PUSH_MODES,
  type PushDeliveryStatus,
} from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { appidParam, type WithAppid } from '../http/admin-params.js';
import { disablePush, getPushConfig, type PushConfigInput, setPushConfig } from './config.js';
import { pushLog } from './log.js';

/** Values are checked by `checkPushConfig`, so each bad field gets its own message (93001). */
const configBody = {
  type: 'object',
  required: ['url', 'token'],
  additionalProperties: false,
  properties: {
    url: { type: 'string', maxLength: 2048 },
    token: { type: 'string', maxLength: 64 },
    encodingAESKey: { type: ['string', 'null'], maxLength: 64 },
    format: { type: 'string', enum: [...PUSH_FORMATS] },
    mode: { type: 'string', enum: [...PUSH_MODES] },
  },
} as const;

const logQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...PUSH_DELIVERY_STATUSES] },
    limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
    before: { type: 'string', pattern: '^[0-9]{1,15}$' },
  },
} as const;

type LogQuery = { status?: PushDeliveryStatus; limit?: string; before?: string };

/** `/admin/apps/:appid/push…`: message push configuration (checked against the URL) and its delivery log. */
export function registerPushAdminRoutes(app: FastifyInstance, ctx: Context): void {
  app.get<WithAppid>('/admin/apps/:appid/push', { schema: { params: appidParam } }, (request) =>
    getPushConfig(ctx, request.params.appid),
  );

  app.put<WithAppid & { Body: PushConfigInput }>(
    '/admin/apps/:appid/push',
    {
      schema: { params: appidParam, body: configBody },
      config: { invalidInput: Errors.PUSH_CONFIG_INVALID },
    },
    (request) => setPushConfig(ctx, request.params.appid, request.body),
  );

  app.delete<WithAppid>('/admin/apps/:appid/push', { schema: { params: appidParam } }, (request) =>
    disablePush(ctx, request.params.appid),
  );

  app.get<WithAppid & { Querystring: LogQuery }>(
    '/admin/apps/:appid/push/deliveries',
    { schema: { params: appidParam, querystring: logQuery } },
    async (request) => {
      const { status, limit, before } = request.query;
      return {
        deliveries: await pushLog(ctx, request.params.appid, {
          ...(status ? { status } : {}),
          ...(limit !== undefined ? { limit: Number(limit) } : {}),
          ...(before !== undefined ? { before: Number(before) } : {}),
        }),
      };
    },
  );
}
