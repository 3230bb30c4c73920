import {
  ApiError,
  CALL_CMD,
  CALL_DEFAULT_TIMEOUT_SECONDS,
  CALL_GROUP_ID_PATTERN,
  CALL_MAX_TIMEOUT_SECONDS,
  CALL_MAX_USERS,
  CALL_ROOM_ID_MAX,
  type CallSignal,
  type CallType,
  Errors,
  type InviteCommand,
  type InviteReceipt,
  isCallType,
  isUserId,
} from '@beckon/protocol';
import type { CallRecord, CallUser, InvitationRecord, NewInvitation } from '../store/port.js';
import { Announcement } from './announcement.js';
import { afterChange, membersOf, pendingOf, toAnswerListeners } from './notify.js';
import { joinedSession } from './relay.js';
import type { CallRuntime } from './runtime.js';
import type { CallSession } from './sessions.js';
import { invitedEvents } from './webhooks.js';

interface InviteInput {
  userIds: string[];
  type: CallType;
  groupId: string | null;
  timeoutSeconds: number;
  roomId: number | undefined;
  callId: string | undefined;
}

const invalid = (detail: string) => ApiError.because(Errors.SIGNALING_INVALID_PARAMETERS, `${detail}`);

/** Checks an invite command as it came off the wire; 6017 names what is wrong. */
export function parseInvite(command: InviteCommand, self: string): InviteInput {
  if (command === null || typeof command !== 'object') throw invalid('the invite is missing');
  const c = command as Partial<Record<keyof InviteCommand, unknown>>;
  if (!Array.isArray(c.userIDList) || c.userIDList.length === 0)
    throw invalid('userIDList must be a non-empty array of userIDs');
  const userIds = c.userIDList as unknown[];
  for (const u of userIds)
    if (!isUserId(u)) throw invalid(`userIDList holds an invalid userID ${JSON.stringify(u)}`);
  if (new Set(userIds).size !== userIds.length) throw invalid('userIDList repeats a userID');
  if (userIds.includes(self)) throw invalid('you cannot invite yourself');
  if (!isCallType(c.type)) throw invalid('type must be 1 (audio) or 2 (video)');
  if (c.groupID !== undefined && (typeof c.groupID !== 'string' || !CALL_GROUP_ID_PATTERN.test(c.groupID)))
    throw invalid('groupID must be 1 to 48 printable ASCII characters');
  const timeout = c.timeout ?? CALL_DEFAULT_TIMEOUT_SECONDS;
  if (
    !Number.isSafeInteger(timeout) ||
    (timeout as number) < 1 ||
    (timeout as number) > CALL_MAX_TIMEOUT_SECONDS
  )
    throw invalid(`timeout must be a whole number of seconds from 1 to ${CALL_MAX_TIMEOUT_SECONDS}`);
  if (
    c.callId !== undefined &&
    (typeof c.callId !== 'string' || c.callId.length === 0 || c.callId.length > 64)
  )
    throw invalid('callId must be the running call’s id');
  if (
    c.roomID !== undefined &&
    (!Number.isSafeInteger(c.roomID) || (c.roomID as number) < 1 || (c.roomID as number) > CALL_ROOM_ID_MAX)
  )
    throw invalid(`roomID must be a whole number from 1 to ${CALL_ROOM_ID_MAX}`);
  return {
    userIds: userIds as string[],
    type: c.type,
    groupId: (c.groupID as string | undefined) ?? null,
    timeoutSeconds: timeout as number,
    roomId: c.roomID as number | undefined,
    callId: typeof c.callId === 'string' ? c.callId : undefined,
  };
}

/** INVITED as the invitee sees it (web 1.0.6 payload, spec §1.5). */
export function invitedSignal(invitation: InvitationRecord, call: CallRecord): CallSignal {
  const others = new Set([...membersOf(call), ...invitation.invitees.map((i) => i.userId)]);
  others.delete(invitation.inviter);
  return {
    event: 'onInvited',
    callId: call.callId,
    inviteID: invitation.inviteId,
    sponsor: invitation.inviter,
    userIDList: [...others],
    isFromGroup: invitation.groupId !== null,
    groupID: invitation.groupId,
    inviteData: { version: 4, callType: invitation.callType, roomID: invitation.roomId, callEnd: 0 },
    deadline: invitation.deadline,
  };
}

/**
 * Queues INVITED to every session the invitee has on this node; `rung` learns the invitee once the gateway
 * took it (their timeout then is CALLING_TIMEOUT for the inviter, not NO_RESP).
 */
export function ring(
  out: Announcement,
  rung: string[],
  user: CallUser,
  signal: CallSignal,
  session?: string,
): void {
  if (!out.sessions.online(user)) return;
  out.deliverTracked(user, session ? [session] : 'all', signal, () => {
    if (!rung.includes(user.userId)) rung.push(user.userId);
  });
}

/**
 * `call()` / `groupCall()`: starts a call, or, from a member of a running call, invites more people into it
 * (spec §1.4: groupCall again while in a call uses the same room). Busy invitees are settled at once and the
 * inviter hears LINE_BUSY; the others ring on every session they have, or on login before the deadline.
 */
export async function invite(
  rt: CallRuntime,
  session: CallSession,
  command: InviteCommand,
): Promise<InviteReceipt> {
  const input = parseInvite(command, session.userId);
  const store = rt.ctx.store.calls;
  const now = rt.ctx.clock.now();
  const me = { sdkAppId: session.sdkAppId, userId: session.userId };
  const running = (await store.activeCalls(me))[0];
  // Only the device in the call invites into it (multi-device), unless that device is gone; as hangup does.
  if (running && rt.sessions.heldElsewhere(joinedSession(running, me.userId), session.sessionId))
    throw new ApiError(Errors.CALL_NOT_FOUND);
  if (input.callId !== undefined && input.callId !== running?.callId)
    throw new ApiError(Errors.CALL_NOT_FOUND);
  if (running && input.callId === undefined) throw new ApiError(Errors.CALL_IN_PROGRESS);
  const base = {
    inviteId: rt.newId(),
    inviter: session.userId,
    inviterSessionId: session.sessionId,
    inviterNodeId: rt.nodeId,
    invitees: input.userIds,
    groupId: input.groupId,
    timeoutSeconds: input.timeoutSeconds,
    createdAt: now,
  };
  let outcome: Awaited<ReturnType<typeof store.inviteMore>>;
  if (running) {
    const inCall = membersOf(running);
    const already = input.userIds.filter((u) => inCall.includes(u));
    if (already.length) throw invalid(`already in the call: ${already.join(', ')}`);
    const users = new Set([...inCall, ...pendingOf(running), ...input.userIds]);
    if (users.size > CALL_MAX_USERS) throw new ApiError(Errors.CALL_TOO_MANY_USERS);
    const invitation: NewInvitation = {
      ...base,
      groupId: input.groupId ?? running.groupId,
      callId: running.callId,
      cmd: CALL_CMD[running.callType],
    };
    outcome = await store.inviteMore(invitation, invitedEvents);
    if (!outcome.ok) throw new ApiError(Errors.CALL_NOT_FOUND);
  } else {
    if (input.userIds.length + 1 > CALL_MAX_USERS) throw new ApiError(Errors.CALL_TOO_MANY_USERS);
    const callId = rt.newId();
    const started = await store.start(
      {
        callId,
        appid: session.appid,
        sdkAppId: session.sdkAppId,
        caller: session.userId,
        callType: input.type,
        roomId: input.roomId ?? rt.drawRoomId(),
        groupId: input.groupId,
        startedAt: now,
      },
      { ...base, callId, cmd: CALL_CMD[input.type] },
      invitedEvents,
    );
    if (!started.ok) throw new ApiError(Errors.CALL_IN_PROGRESS);
    outcome = started;
  }
  const { invitation, call } = outcome;
  const out = new Announcement(rt);
  const rung: string[] = [];
  // INVITED first: with a groupID the invitees hear who is busy, which they can only place once invited.
  for (const invitee of invitation.invitees)
    if (invitee.state !== 'busy')
      ring(out, rung, { sdkAppId: call.sdkAppId, userId: invitee.userId }, invitedSignal(invitation, call));
  for (const invitee of invitation.invitees)
    if (invitee.state === 'busy')
      toAnswerListeners(out, call, invitation, invitee.userId, {
        event: 'onLineBusy',
        callId: call.callId,
        sponsor: session.userId,
        userID: invitee.userId,
      });
  afterChange(out, outcome);
  out.send();
  if (rung.length) await store.markRung(invitation.inviteId, rung, now);
  return {
    inviteID: invitation.inviteId,
    callId: call.callId,
    roomID: call.roomId,
    callType: call.callType,
    deadline: invitation.deadline,
    invitees: invitation.invitees.map((i) => ({ userID: i.userId, state: i.state })),
  };
}
