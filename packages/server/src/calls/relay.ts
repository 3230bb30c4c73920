import type { CallRecord } from '../store/port.js';

/** Whether the user is in the call now (joined and not left; an ended call has nobody in it). */
export function isInCall(call: Pick<CallRecord, 'members' | 'endedAt'>, userId: string): boolean {
  return call.endedAt === null && call.members.some((m) => m.userId === userId && m.leftAt === null);
}

/** The session the user is in the call through (their member row while in it); undefined when not in it. */
export function joinedSession(call: Pick<CallRecord, 'members'>, userId: string): string | null | undefined {
  return call.members.find((m) => m.userId === userId && m.leftAt === null)?.sessionId;
}

/**
 * The media relay rule (issue 5 §2): the server passes negotiation (SDP, ICE) and media state from one user
 * to another only while both are members of the same running call, and never to oneself.
 */
export function mayRelay(
  call: Pick<CallRecord, 'members' | 'endedAt'> | undefined,
  fromUser: string,
  toUser: string,
): boolean {
  return call !== undefined && fromUser !== toUser && isInCall(call, fromUser) && isInCall(call, toUser);
}
