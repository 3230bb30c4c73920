import { ApiError, Errors, type SubscribeResult, type SubscribeStatus } from '@beckon/protocol';
import type { Context } from '../context.js';
import type { ConsentChange, DecisionInput } from '../store/port.js';
import { checkRequest } from './dialog.js';

/** The user's answer as the shell posts it; parsed here so that `tmplIds` keeps its own codes and order. */
export interface SubscribeInput {
  tmplIds?: unknown;
  accepted?: string[];
  keepChoice?: boolean;
}

export interface Subscribed {
  result: SubscribeResult;
  /** What was recorded, one change per accepted or rejected template (none for `filter` / `ban`). */
  changes: ConsentChange[];
}

/**
 * `POST /api/apps/:appid/subscriptions`: records the user's answer and returns what
 * `wx.requestSubscribeMessage` resolves with (spec §4.1, §4.2).
 * - The request is checked again, as for the dialog (the ledger may have changed since).
 * - A remembered template is answered with its remembered decision, and an accept still adds one send
 *   (source `silent`): keep-choice spares the popup, not the request.
 * - An asked template is accepted if ticked, else rejected (source `popup`); with keep-choice ticked every
 *   asked decision is remembered, so accepting none remembers them all as `reject`.
 * - `filter` and `ban` templates are answered, never recorded.
 * `accepted` may only name requested ids (10004 otherwise, after the request's own checks).
 */
export async function subscribe(
  ctx: Context,
  appid: string,
  userId: string,
  input: SubscribeInput,
): Promise<Subscribed> {
  const { entries } = await checkRequest(ctx, appid, userId, input.tmplIds);
  const accepted = new Set(input.accepted ?? []);
  const requested = new Set(entries.map((e) => e.template.priTmplId));
  for (const id of accepted) if (!requested.has(id)) throw new ApiError(Errors.TMPL_ID_INVALID);

  const statuses: [string, SubscribeStatus][] = [];
  const decisions: DecisionInput[] = [];
  for (const { template, status } of entries) {
    const id = template.priTmplId;
    if (status === 'ask') {
      const decision = accepted.has(id) ? 'accept' : 'reject';
      statuses.push([id, decision]);
      decisions.push({
        templateId: id,
        templateType: template.type,
        status: decision,
        ...(input.keepChoice === true ? { keepChoice: true } : {}),
        source: 'popup',
      });
    } else if (status === 'accept' || status === 'reject') {
      statuses.push([id, status]);
      decisions.push({ templateId: id, templateType: template.type, status, source: 'silent' });
    } else {
      statuses.push([id, status]);
    }
  }

  let changes: ConsentChange[] = [];
  if (decisions.length > 0) {
    changes = await ctx.store.consent.recordDecisions(appid, userId, decisions, ctx.clock.now());
    // The store refuses atomically when the main switch went off after the check above.
    if (changes.length === 0) throw new ApiError(Errors.MAIN_SWITCH_OFF);
  }
  const result: SubscribeResult = { errMsg: 'requestSubscribeMessage:ok' };
  for (const [id, status] of statuses) result[id] = status;
  return { result, changes };
}
