import { ApiError, Errors, type SystemSubscribeResult } from '@beckon/protocol';
import type { Context } from '../context.js';
import { checkSystemRequest } from './system-dialog.js';

/** The user's answer as the shell posts it; parsed here so that `msgTypeList` keeps its own codes. */
export interface SystemSubscribeInput {
  msgTypeList?: unknown;
  accepted?: string[];
}

/**
 * `POST /api/apps/:appid/system-subscriptions`: records the user's answer and returns what
 * `wx.requestSubscribeSystemMessage` resolves with (spec §4.5).
 * - The request is checked again, as for the dialog (things may have changed since).
 * - Each type is accepted if the user switched it on, else rejected: an accept is permanent, a reject is
 *   asked again next time. A settled type (accepted, or switched off in settings or from a card, before
 *   this answer is written: the store decides in its transaction) is answered as it stands, unchanged.
 * `accepted` may only name requested types (10004 otherwise, after the request's own checks).
 */
export async function subscribeSystem(
  ctx: Context,
  appid: string,
  userId: string,
  input: SystemSubscribeInput,
): Promise<SystemSubscribeResult> {
  const { types } = await checkSystemRequest(ctx, appid, userId, input.msgTypeList);
  const accepted = new Set<string>(input.accepted ?? []);
  const requested = new Set<string>(types.map((t) => t.msgType));
  for (const type of accepted) if (!requested.has(type)) throw new ApiError(Errors.TMPL_ID_INVALID);

  const decisions = types.map(({ msgType }) => ({
    msgType,
    status: accepted.has(msgType) ? ('accept' as const) : ('reject' as const),
  }));
  // The store refuses atomically when the main switch went off after the check above.
  const write = await ctx.store.games.recordSystemDecisions(appid, userId, decisions, ctx.clock.now());
  if (!write.ok) throw new ApiError(Errors.MAIN_SWITCH_OFF);
  const result: SystemSubscribeResult = { errMsg: 'requestSubscribeSystemMessage:ok' };
  for (const { msgType, status } of write.answers) result[msgType] = status;
  return result;
}
