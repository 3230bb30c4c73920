import type { CallSignal } from '@beckon/protocol';
import { Announcement } from './announcement.js';
import { afterChange, toMember, toUser } from './notify.js';
import type { CallRuntime } from './runtime.js';
import { timedOutEvents } from './webhooks.js';

/** Invitations expired per store read; the sweep reads again until a page comes back short. */
const PAGE = 100;

/**
 * Server-enforced timeouts (spec §1.4, §5.2): every invitation past its deadline in the store settles its
 * pending invitees as no_answer, and each invitee hears CALLING_TIMEOUT. The inviter hears, as TRTCCalling
 * maps it: CALLING_TIMEOUT for each invitee who was rung on a live session and let it ring out (their
 * timeout notice), then one NO_RESP naming every invitee who never got the invitation (the caller's own
 * timer). Reads deadlines only from the store, so a restarted node (or another node on the same store) fires
 * what was due; the store's compare-and-set lets one sweeper win each invitee. Returns how many invitees
 * timed out.
 */
export async function sweep(rt: CallRuntime): Promise<number> {
  const store = rt.ctx.store.calls;
  let total = 0;
  for (;;) {
    const now = rt.ctx.clock.now();
    const due = await store.overdue(now, PAGE);
    for (const invitation of due) {
      const out = await store.expire(invitation.inviteId, now, (o) => timedOutEvents(o, now));
      if (!out) continue;
      const { call } = out;
      const box = new Announcement(rt);
      const sponsor = invitation.inviter;
      const rung = new Set(out.invitation.invitees.filter((i) => i.rungAt !== null).map((i) => i.userId));
      for (const userId of out.timedOut) {
        const timeout: CallSignal = {
          event: 'onCallingTimeout',
          callId: call.callId,
          inviteID: invitation.inviteId,
          sponsor,
          userIDList: [userId],
        };
        if (rung.has(userId)) toMember(box, call, sponsor, timeout);
        toUser(box, { sdkAppId: call.sdkAppId, userId }, timeout);
      }
      const unreached = out.timedOut.filter((u) => !rung.has(u));
      if (unreached.length)
        toMember(box, call, sponsor, {
          event: 'onNoResp',
          callId: call.callId,
          sponsor,
          userID: unreached[0] as string,
          userIDList: unreached,
        });
      total += out.timedOut.length;
      if (out.timedOut.length) afterChange(box, out);
      box.send();
    }
    if (due.length < PAGE) return total;
  }
}
