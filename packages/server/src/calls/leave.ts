import { ApiError, Errors } from '@beckon/protocol';
import type { CallRecord } from '../store/port.js';
import { invitationOf } from './answer.js';
import { afterChange, toMembers, toUser } from './notify.js';
import type { CallRuntime } from './runtime.js';
import type { CallSession } from './sessions.js';
import { inviteeWebhook } from './webhooks.js';

/** CALLING_CANCEL on every device of each withdrawn invitee, and its webhook. */
async function announceCancelled(rt: CallRuntime, call: CallRecord, inviteId: string, userIds: string[]) {
  const invitation = await rt.ctx.store.calls.getInvitation(inviteId);
  for (const userId of userIds) {
    toUser(
      rt,
      { sdkAppId: call.sdkAppId, userId },
      { event: 'onCallingCancel', callId: call.callId, inviteID: inviteId },
    );
    if (invitation) await inviteeWebhook(rt, 'call_cancelled_event', call, invitation, userId);
  }
}

/** TSignaling `cancel(inviteID)`: only the inviter may, and only while someone still rings (else 8010). */
export async function cancel(rt: CallRuntime, session: CallSession, inviteId: unknown): Promise<void> {
  const invitation = await invitationOf(rt, session, inviteId);
  const out = await rt.ctx.store.calls.cancel(invitation.inviteId, session.userId, rt.ctx.clock.now());
  if (!out.ok)
    throw new ApiError(
      out.reason === 'not_inviter' ? Errors.SIGNALING_NO_PERMISSION : Errors.SIGNALING_INVALID_INVITE_ID,
    );
  if (out.cancelled.length === 0) throw new ApiError(Errors.SIGNALING_INVALID_INVITE_ID);
  await announceCancelled(rt, out.call, invitation.inviteId, out.cancelled);
  await afterChange(rt, out);
}

/** The call a session is in: the one named, or the user's running call. */
async function callOf(rt: CallRuntime, session: CallSession, callId: unknown): Promise<CallRecord> {
  const all = await rt.ctx.store.calls.activeCalls({ sdkAppId: session.sdkAppId, userId: session.userId });
  // Only the device that is in the call hangs it up (multi-device), unless that device is gone.
  const calls = all.filter((c) => {
    const joined = c.members.find((m) => m.userId === session.userId && m.leftAt === null)?.sessionId;
    return !joined || joined === session.sessionId || !rt.sessions.get(joined);
  });
  const call = callId === undefined ? calls[0] : calls.find((c) => c.callId === callId);
  if (!call) throw new ApiError(Errors.CALL_NOT_FOUND);
  return call;
}

/**
 * `hangup()`: the user's ringing invitations are cancelled, they leave, the others hear USER_LEAVE; when at
 * most one member is left and nobody rings, the call ends (CALL_END with its talk seconds).
 */
export async function hangup(rt: CallRuntime, session: CallSession, callId?: unknown): Promise<void> {
  const call = await callOf(rt, session, callId);
  await leaveCall(rt, call.callId, session.userId);
}

/** A member leaves (hangup, logout, kick). Quietly nothing when they are no longer in it. */
export async function leaveCall(rt: CallRuntime, callId: string, userId: string): Promise<void> {
  const out = await rt.ctx.store.calls.leave(callId, userId, rt.ctx.clock.now());
  if (!out.ok) return;
  for (const c of out.cancelled) await announceCancelled(rt, out.call, c.inviteId, c.userIds);
  toMembers(rt, out.call, { event: 'onUserLeave', callId, userID: userId }, userId);
  await afterChange(rt, out);
}
