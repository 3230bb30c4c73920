import type { PushDeliveryStatus, PushDeliveryView } from '@beckon/protocol';
import { openidFor } from '../accounts/openids.js';
import { getApp } from '../apps/service.js';
import { isoOrNull } from '../clock.js';
import type { Context } from '../context.js';
import type { PushDeliveryRecord } from '../store/port.js';

export const DEFAULT_LOG_LIMIT = 20;
export const MAX_LOG_LIMIT = 100;

export interface PushLogQuery {
  status?: PushDeliveryStatus;
  /** 1 to MAX_LOG_LIMIT (a value outside is brought inside); default DEFAULT_LOG_LIMIT. */
  limit?: number;
  /** The id the previous page ended with. */
  before?: number;
}

/** The openid a row goes to: stored by sends, derived for the rest (openids are a function of the user). */
export async function recipientOf(ctx: Context, row: PushDeliveryRecord): Promise<string> {
  return row.openid ?? openidFor(ctx, row.appid, row.userId);
}

/** `GET /admin/apps/:appid/push/deliveries`: the app's outbox, newest first. */
export async function pushLog(ctx: Context, appid: string, query: PushLogQuery): Promise<PushDeliveryView[]> {
  await getApp(ctx, appid);
  const rows = await ctx.store.push.deliveries(appid, {
    limit: Math.max(1, Math.min(query.limit ?? DEFAULT_LOG_LIMIT, MAX_LOG_LIMIT)),
    ...(query.status ? { status: query.status } : {}),
    ...(query.before !== undefined ? { before: query.before } : {}),
  });
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      event: r.event,
      openid: await recipientOf(ctx, r),
      status: r.status,
      attempts: r.attempts,
      lastStatus: r.lastStatus,
      lastError: r.lastError,
      createdAt: new Date(r.createdAt).toISOString(),
      deliveredAt: isoOrNull(r.deliveredAt),
      nextAttemptAt: isoOrNull(r.nextAttemptAt),
    })),
  );
}
