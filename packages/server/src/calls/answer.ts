import { type AcceptReceipt, ApiError, type ErrorDef, Errors } from '@beckon/protocol';
import type { Answer, InvitationRecord, SettleOutcome } from '../store/port.js';
import { Announcement } from './announcement.js';
import { mediaSignals } from './media.js';
import { afterChange, membersOf, toAnswerListeners, toMember, toMembers, toUser } from './notify.js';
import type { CallRuntime } from './runtime.js';
import type { CallSession } from './sessions.js';
import { answeredEvents } from './webhooks.js';

const REFUSALS: Record<Exclude<SettleOutcome, { ok: true }>['reason'], ErrorDef> = {
  not_found: Errors.SIGNALING_INVALID_INVITE_ID,
  processed: Errors.SIGNALING_INVALID_INVITE_ID,
  expired: Errors.SIGNALING_INVALID_INVITE_ID,
  not_invitee: Errors.SIGNALING_NO_PERMISSION,
};

/** The invitation, if it is one of the session's app (inviteIDs are global, userIDs are per app). */
export async function invitationOf(
  rt: CallRuntime,
  session: CallSession,
  inviteId: unknown,
): Promise<InvitationRecord> {
  const invitation =
    typeof inviteId === 'string' ? await rt.ctx.store.calls.getInvitation(inviteId) : undefined;
  if (!invitation || invitation.sdkAppId !== session.sdkAppId)
    throw new ApiError(Errors.SIGNALING_INVALID_INVITE_ID);
  return invitation;
}

/** accept or reject: compare-and-set on the invitee's state, so of two devices (or nodes) only one wins. */
async function answer(
  rt: CallRuntime,
  out: Announcement,
  session: CallSession,
  inviteId: unknown,
  how: Answer,
) {
  const invitation = await invitationOf(rt, session, inviteId);
  const at = rt.ctx.clock.now();
  const done = await rt.ctx.store.calls.settle(
    invitation.inviteId,
    session.userId,
    how,
    at,
    session.sessionId,
    (o) => answeredEvents(o, session.userId, at),
    rt.nodeId,
  );
  if (!done.ok) throw new ApiError(REFUSALS[done.reason]);
  // The user's other devices stop ringing (multi-device; spec §5.4 OtherDeviceAccepted / OtherDeviceReject).
  const user = { sdkAppId: session.sdkAppId, userId: session.userId };
  for (const id of [invitation.inviteId, ...done.elsewhere])
    toUser(
      out,
      user,
      {
        event: 'onCallingCancel',
        callId: done.call.callId,
        inviteID: id,
        reason: how === 'answered' ? 'answered_elsewhere' : 'rejected_elsewhere',
      },
      session.sessionId,
    );
  return done;
}

/**
 * `accept()`: the session joins the call. The inviter hears USER_ACCEPT (with a groupID: the whole group,
 * see toAnswerListeners); everyone in the call hears USER_ENTER of the newcomer, and the newcomer USER_ENTER
 * of each of them (the room's peer-join).
 */
export async function accept(
  rt: CallRuntime,
  session: CallSession,
  inviteId: unknown,
): Promise<AcceptReceipt> {
  const out = new Announcement(rt);
  const done = await answer(rt, out, session, inviteId, 'answered');
  const { call, invitation } = done;
  const me = session.userId;
  toAnswerListeners(out, call, invitation, me, { event: 'onUserAccept', callId: call.callId, userID: me });
  toMembers(out, call, { event: 'onUserEnter', callId: call.callId, userID: me }, me);
  for (const other of membersOf(call, me)) {
    toMember(out, call, me, { event: 'onUserEnter', callId: call.callId, userID: other });
    // Their camera/mic as last set (the joiner missed those signals; media.ts keeps them on the member).
    const media = call.members.find((m) => m.userId === other) ?? {};
    for (const signal of mediaSignals(call.callId, other, media)) toMember(out, call, me, signal);
  }
  afterChange(out, done);
  out.send();
  return { callId: call.callId, roomID: call.roomId, callType: call.callType, members: membersOf(call) };
}

/**
 * `reject()`: the inviter hears REJECT (with a groupID: the whole group); a 1:1 call (or a group with
 * nobody left to talk to) ends.
 */
export async function reject(rt: CallRuntime, session: CallSession, inviteId: unknown): Promise<void> {
  const out = new Announcement(rt);
  const done = await answer(rt, out, session, inviteId, 'rejected');
  const { call, invitation } = done;
  const me = session.userId;
  toAnswerListeners(out, call, invitation, me, { event: 'onReject', callId: call.callId, userID: me });
  afterChange(out, done);
  out.send();
}
