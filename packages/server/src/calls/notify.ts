import type { CallSignal } from '@beckon/protocol';
import type { CallChange, CallRecord, CallUser, InvitationRecord } from '../store/port.js';
import type { Announcement } from './announcement.js';
import { isInCall } from './relay.js';

/** Where the helpers below address signals: a command's Announcement (sent together after its commit). */
export type Signals = Pick<Announcement, 'sessions' | 'deliver'>;

const userOf = (call: Pick<CallRecord, 'sdkAppId'>, userId: string): CallUser => ({
  sdkAppId: call.sdkAppId,
  userId,
});

/** Every session of the user on this node (ringing devices); nothing when they are offline. */
export function toUser(rt: Signals, user: CallUser, signal: CallSignal, exceptSession?: string): void {
  const sessions = rt.sessions.of(user).map((s) => s.sessionId);
  if (sessions.length === 0) return;
  if (exceptSession === undefined) rt.deliver(user, 'all', signal);
  else {
    const others = sessions.filter((id) => id !== exceptSession);
    if (others.length) rt.deliver(user, others, signal);
  }
}

/**
 * A member of the call, on the session that is in it. If that session is gone from this node (a restart)
 * the user's current sessions get it instead.
 */
export function toMember(
  rt: Signals,
  call: Pick<CallRecord, 'sdkAppId' | 'members'>,
  userId: string,
  signal: CallSignal,
): void {
  const member = call.members.find((m) => m.userId === userId);
  if (!member) return;
  const user = userOf(call, userId);
  if (member.sessionId && rt.sessions.get(member.sessionId)) rt.deliver(user, [member.sessionId], signal);
  else toUser(rt, user, signal);
}

/** Members in the call now (or, for an ended call, those in it when it ended), but `except`. */
export function membersOf(call: CallRecord, except?: string): string[] {
  const present =
    call.endedAt === null
      ? call.members.filter((m) => isInCall(call, m.userId))
      : call.members.filter((m) => m.leftAt === call.endedAt);
  return present.map((m) => m.userId).filter((u) => u !== except);
}

export function toMembers(rt: Signals, call: CallRecord, signal: CallSignal, except?: string): void {
  for (const userId of membersOf(call, except)) toMember(rt, call, userId, signal);
}

/**
 * An invitee's answer (USER_ACCEPT, REJECT, LINE_BUSY — busy is TSignaling's reject with line_busy). Spec
 * calling.md §1.2 line 56: "accept/reject go to `groupID || inviter`". An invitation with a groupID is
 * answered by a group message, so every member of the call and every invitee still ringing hears it (the
 * one answering excepted); without one (1:1, or a group call made of N one-to-one invitations), only the
 * inviter does.
 */
export function toAnswerListeners(
  rt: Signals,
  call: CallRecord,
  invitation: InvitationRecord,
  answering: string,
  signal: CallSignal,
): void {
  if (invitation.groupId === null) {
    toMember(rt, call, invitation.inviter, signal);
    return;
  }
  toMembers(rt, call, signal, answering);
  for (const userId of pendingOf(call)) if (userId !== answering) toUser(rt, userOf(call, userId), signal);
}

/** Distinct users still ringing for the call (the web SDK's `_unHandledInviteeList`). */
export function pendingOf(call: CallRecord): string[] {
  return [...new Set(call.invitees.filter((i) => i.result === 'pending').map((i) => i.userId))];
}

/** A group call (spec §1.4): an IM group, or two or more invitees. */
export function isGroupCall(call: CallRecord): boolean {
  return call.groupId !== null || new Set(call.invitees.map((i) => i.userId)).size >= 2;
}

/**
 * What every change says last: CALL_END with the talk seconds to whoever was in the call when it ended, or,
 * in a running group call, the invitee list left to answer. Queued on the command's announcement, after
 * everything else it says. (Its `call_ended_event` webhook is written with the change: calls/webhooks.ts.)
 */
export function afterChange(out: Signals, change: CallChange): void {
  const { call } = change;
  if (change.ended) {
    toMembers(out, call, {
      event: 'onCallEnd',
      callId: call.callId,
      userID: call.endedBy ?? call.caller,
      callEnd: call.duration ?? 0,
    });
  } else if (isGroupCall(call)) {
    toMembers(out, call, {
      event: 'onGroupCallInviteeListUpdate',
      callId: call.callId,
      userIDList: pendingOf(call),
    });
  }
}
