import {
  ApiError,
  CALL_RECORDS_MAX_LIMIT,
  type CallRecordListResponse,
  type CallRecordResponse,
} from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { getCallRecord, listCallRecords } from './records.js';

/*
 * The schemas name the parameters but constrain none: Fastify validates before the access-token hook runs,
 * and a bad token must answer 40001/41001/42001 whatever the other parameters are. The handler checks them,
 * each with its own message (91000).
 */
const anything = {};
const listQuery = {
  type: 'object',
  properties: { access_token: anything, from: anything, to: anything, limit: anything, cursor: anything },
} as const;
const recordParams = { type: 'object', properties: { callId: { type: 'string' } } } as const;

type ListQuery = { from?: unknown; to?: unknown; limit?: unknown; cursor?: unknown };
const ok = { errcode: 0, errmsg: 'ok' } as const;

/** Unix seconds (WeChat's unit for times in its APIs), as the milliseconds the store keeps. */
function seconds(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,11}$/.test(value))
    throw ApiError.invalidRequest(`${name} must be a time in Unix seconds`);
  return Number(value) * 1000;
}

/**
 * `GET /beckon/calls` and `GET /beckon/calls/:callId`: the app's call records (issue 5 §3), for its backend,
 * behind the access-token hook. Newest first; `from` (inclusive) and `to` (exclusive) filter on the start
 * time; `next` is the cursor of the following page. Another app's call is not found, as an unknown one.
 */
export function registerCallRecordRoutes(scope: FastifyInstance, ctx: Context): void {
  scope.get<{ Querystring: ListQuery }>(
    '/beckon/calls',
    { schema: { querystring: listQuery } },
    async (request): Promise<CallRecordListResponse> => {
      const { from, to, limit, cursor } = request.query;
      if (limit !== undefined && (typeof limit !== 'string' || !/^\d{1,3}$/.test(limit)))
        throw ApiError.invalidRequest(`limit must be 1 to ${CALL_RECORDS_MAX_LIMIT}`);
      if (cursor !== undefined && (typeof cursor !== 'string' || cursor.length > 200))
        throw ApiError.invalidRequest('cursor is not one this API gave');
      const fromMs = seconds(from, 'from');
      const toMs = seconds(to, 'to');
      const list = await listCallRecords(ctx, request.wxApp.appid, {
        ...(fromMs !== undefined ? { from: fromMs } : {}),
        ...(toMs !== undefined ? { to: toMs } : {}),
        ...(limit !== undefined ? { limit: Number(limit) } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
      });
      return { ...ok, ...list };
    },
  );

  scope.get<{ Params: { callId: string } }>(
    '/beckon/calls/:callId',
    {
      schema: {
        params: recordParams,
        querystring: { type: 'object', properties: { access_token: anything } },
      },
    },
    async (request): Promise<CallRecordResponse> => ({
      ...ok,
      ...(await getCallRecord(ctx, request.wxApp.appid, request.params.callId)),
    }),
  );
}
