import {
  ApiError,
  CALL_RECORDS_DEFAULT_LIMIT,
  CALL_RECORDS_MAX_LIMIT,
  type CallRecordList,
  type CallRecordView,
  Errors,
} from '@beckon/protocol';
import { isoOrNull } from '../clock.js';
import type { Context } from '../context.js';
import type { CallRecord, CallRecordPosition } from '../store/port.js';

export function toCallRecordView(call: CallRecord): CallRecordView {
  return {
    callId: call.callId,
    caller: call.caller,
    callType: call.callType,
    roomId: call.roomId,
    groupId: call.groupId,
    status: call.endedAt === null ? 'running' : 'ended',
    startedAt: new Date(call.startedAt).toISOString(),
    connectedAt: isoOrNull(call.connectedAt),
    endedAt: isoOrNull(call.endedAt),
    duration: call.duration,
    invitees: call.invitees.map((i) => ({
      userId: i.userId,
      inviteId: i.inviteId,
      invitedBy: i.invitedBy,
      invitedAt: new Date(i.invitedAt).toISOString(),
      result: i.result,
    })),
  };
}

/** Opaque to clients: base64url of `<startedAt>.<callId>`. */
export function encodeCursor(p: CallRecordPosition): string {
  return Buffer.from(`${p.startedAt}.${p.callId}`).toString('base64url');
}

export function decodeCursor(cursor: string): CallRecordPosition | undefined {
  const m = /^(\d{1,16})\.(.{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString());
  return m ? { startedAt: Number(m[1]), callId: m[2]! } : undefined;
}

export interface CallRecordListQuery {
  /** ISO time or ms: calls started at or after. */
  from?: string | number;
  /** ISO time or ms: calls started before. */
  to?: string | number;
  limit?: number;
  cursor?: string;
}

function instant(value: string | number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isSafeInteger(ms))
    throw ApiError.invalidRequest(`${name} must be an ISO time or milliseconds since the epoch`);
  return ms;
}

/** The app's call records, newest first, a page at a time (the records API will serve this). */
export async function listCallRecords(
  ctx: Context,
  appid: string,
  query: CallRecordListQuery,
): Promise<CallRecordList> {
  const limit = query.limit ?? CALL_RECORDS_DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > CALL_RECORDS_MAX_LIMIT)
    throw ApiError.invalidRequest(`limit must be 1 to ${CALL_RECORDS_MAX_LIMIT}`);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  if (query.cursor !== undefined && !after) throw ApiError.invalidRequest('cursor is not one this API gave');
  const from = instant(query.from, 'from');
  const to = instant(query.to, 'to');
  const page = await ctx.store.calls.records(appid, {
    limit,
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(after ? { after } : {}),
  });
  return { records: page.records.map(toCallRecordView), next: page.next && encodeCursor(page.next) };
}

/** One record of the app; NOT_FOUND for another app's call. */
export async function getCallRecord(ctx: Context, appid: string, callId: string): Promise<CallRecordView> {
  const call = await ctx.store.calls.getCall(callId);
  if (!call || call.appid !== appid)
    throw ApiError.because(Errors.NOT_FOUND, `no call with that callId in this app`);
  return toCallRecordView(call);
}
