import { afterChange, toMember, toUser } from './notify.js';
import type { CallRuntime } from './runtime.js';
import { inviteeWebhook } from './webhooks.js';

/** Invitations expired per store read; the sweep reads again until a page comes back short. */
const PAGE = 100;

/**
 * Server-enforced timeouts (spec §1.4, §5.2): every invitation past its deadline in the store settles its
 * pending invitees as no_answer. The inviter hears NO_RESP and each invitee CALLING_TIMEOUT, whether or not
 * their browser is still open. Reads deadlines only from the store, so a restarted node (or another node on
 * the same store) fires what was due; the store's compare-and-set lets one sweeper win each invitee.
 * Returns how many invitees timed out.
 */
export async function sweep(rt: CallRuntime): Promise<number> {
  const store = rt.ctx.store.calls;
  let total = 0;
  for (;;) {
    const now = rt.ctx.clock.now();
    const due = await store.overdue(now, PAGE);
    for (const invitation of due) {
      const out = await store.expire(invitation.inviteId, now);
      if (!out) continue;
      const { call } = out;
      for (const userId of out.timedOut) {
        toMember(rt, call, invitation.inviter, {
          event: 'onNoResp',
          callId: call.callId,
          sponsor: invitation.inviter,
          userID: userId,
          userIDList: [userId],
        });
        toUser(
          rt,
          { sdkAppId: call.sdkAppId, userId },
          {
            event: 'onCallingTimeout',
            callId: call.callId,
            inviteID: invitation.inviteId,
            sponsor: invitation.inviter,
            userIDList: [userId],
          },
        );
        await inviteeWebhook(rt, 'call_no_answer_event', call, out.invitation, userId);
      }
      total += out.timedOut.length;
      if (out.timedOut.length) await afterChange(rt, out);
    }
    if (due.length < PAGE) return total;
  }
}
