import { ApiError, Errors } from '@beckon/protocol';
import type { CallRecord } from '../store/port.js';
import { Announcement } from './announcement.js';
import { invitationOf, reject } from './answer.js';
import { afterChange, toMembers, toUser } from './notify.js';
import { joinedSession } from './relay.js';
import type { CallRuntime } from './runtime.js';
import type { CallSession } from './sessions.js';
import { cancelledEvents, leftEvents } from './webhooks.js';

/** CALLING_CANCEL on every device of each withdrawn invitee (queued on the announcement). */
function announceCancelled(out: Announcement, call: CallRecord, inviteId: string, userIds: string[]): void {
  for (const userId of userIds)
    toUser(
      out,
      { sdkAppId: call.sdkAppId, userId },
      { event: 'onCallingCancel', callId: call.callId, inviteID: inviteId },
    );
}

/** TSignaling `cancel(inviteID)`: only the inviter may, and only while someone still rings (else 8010). */
export async function cancel(rt: CallRuntime, session: CallSession, inviteId: unknown): Promise<void> {
  const invitation = await invitationOf(rt, session, inviteId);
  const at = rt.ctx.clock.now();
  const done = await rt.ctx.store.calls.cancel(invitation.inviteId, session.userId, at, (o) =>
    cancelledEvents(o, at),
  );
  if (!done.ok)
    throw new ApiError(
      done.reason === 'not_inviter' ? Errors.SIGNALING_NO_PERMISSION : Errors.SIGNALING_INVALID_INVITE_ID,
    );
  if (done.cancelled.length === 0) throw new ApiError(Errors.SIGNALING_INVALID_INVITE_ID);
  const out = new Announcement(rt);
  announceCancelled(out, done.call, invitation.inviteId, done.cancelled);
  afterChange(out, done);
  out.send();
}

/** The call a session is in: the one named, or the user's running call. */
async function callOf(rt: CallRuntime, session: CallSession, callId: unknown): Promise<CallRecord> {
  const all = await rt.ctx.store.calls.activeCalls({ sdkAppId: session.sdkAppId, userId: session.userId });
  // Only the device that is in the call hangs it up (multi-device), unless that device is gone.
  const calls = all.filter(
    (c) => !rt.sessions.heldElsewhere(joinedSession(c, session.userId), session.sessionId),
  );
  const call = callId === undefined ? calls[0] : calls.find((c) => c.callId === callId);
  if (!call) throw new ApiError(Errors.CALL_NOT_FOUND);
  return call;
}

/**
 * `hangup()`: the user's ringing invitations are cancelled, they leave, the others hear USER_LEAVE; when at
 * most one member is left and nobody rings, the call ends (CALL_END with its talk seconds). From a callee
 * still ringing (not in the call), it is reject().
 */
export async function hangup(rt: CallRuntime, session: CallSession, callId?: unknown): Promise<void> {
  const call = await callOf(rt, session, callId).catch(async (err: unknown) => {
    // A callee still ringing hangs up: TRTCCalling's hangup() then rejects the invitation.
    const user = { sdkAppId: session.sdkAppId, userId: session.userId };
    const ringing = await rt.ctx.store.calls.ringing(user, rt.ctx.clock.now());
    const invitation = ringing.find((i) => callId === undefined || i.callId === callId);
    if (!invitation) throw err;
    await reject(rt, session, invitation.inviteId);
    return undefined;
  });
  if (call) await leaveCall(rt, call.callId, session.userId);
}

/**
 * A member leaves (hangup, logout, kick; with `fromNode`, the eviction of a dead node's member, which only
 * holds while they are still in from that node). Quietly nothing when they are no longer in it.
 */
export async function leaveCall(
  rt: CallRuntime,
  callId: string,
  userId: string,
  fromNode?: string,
): Promise<void> {
  const at = rt.ctx.clock.now();
  const done = await rt.ctx.store.calls.leave(callId, userId, at, (o) => leftEvents(o, at), fromNode);
  if (!done.ok) return;
  const out = new Announcement(rt);
  for (const c of done.cancelled) announceCancelled(out, done.call, c.inviteId, c.userIds);
  toMembers(out, done.call, { event: 'onUserLeave', callId, userID: userId }, userId);
  afterChange(out, done);
  out.send();
}
