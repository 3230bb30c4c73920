import type { CallEventName, CallWebhookFields } from '@beckon/protocol';
import type {
  CallChange,
  CallRecord,
  CancelOutcome,
  ExpireOutcome,
  LeaveOutcome,
  PushEnqueue,
  SettleOutcome,
  StartOutcome,
} from '../store/port.js';

/*
 * The call webhooks (CALL_EVENTS) each change reports, made from its outcome. The store writes them to the
 * push outbox inside the change's own transaction (store port CallEvents), so none is lost to a node dying
 * after the commit. Pure: everything comes from the call as the change left it.
 */

const seconds = (ms: number) => Math.floor(ms / 1000);

function head(call: CallRecord): CallWebhookFields {
  return {
    CallId: call.callId,
    RoomId: call.roomId,
    CallType: call.callType,
    Caller: call.caller,
    GroupId: call.groupId,
    StartTime: seconds(call.startedAt),
  };
}

// The RTC userID is the app's own name for the user: it is the event's FromUserName as is.
const event = (
  name: CallEventName,
  about: string,
  call: CallRecord,
  data: object,
  at: number,
): PushEnqueue => ({
  appid: call.appid,
  userId: about,
  openid: about,
  event: name,
  data,
  at,
});

/** An event about one invitee of one invitation (invited, answered, rejected, busy, no answer, cancelled). */
export function inviteeEvent(
  name: Exclude<CallEventName, 'call_ended_event'>,
  call: CallRecord,
  inviteId: string,
  invitee: string,
  at: number,
): PushEnqueue {
  const entry = call.invitees.find((i) => i.inviteId === inviteId && i.userId === invitee);
  const fields: CallWebhookFields = {
    ...head(call),
    InviteId: inviteId,
    Inviter: entry?.invitedBy ?? call.caller,
    Invitee: invitee,
    ...(entry && entry.result !== 'pending' ? { Result: entry.result } : {}),
  };
  return event(name, invitee, call, fields, at);
}

/** `call_ended_event`: the whole record, about the caller. */
function endedEvent(call: CallRecord): PushEnqueue {
  const endedAt = call.endedAt ?? call.startedAt;
  const fields: CallWebhookFields = {
    ...head(call),
    EndTime: seconds(endedAt),
    Duration: call.duration ?? 0,
    Invitees: call.invitees.map((i) => ({
      UserId: i.userId,
      InviteId: i.inviteId,
      Inviter: i.invitedBy,
      Result: i.result,
    })),
  };
  return event('call_ended_event', call.caller, call, fields, endedAt);
}

/** What every change reports last: `call_ended_event` when it ended the call. */
const ended = (change: CallChange): PushEnqueue[] => (change.ended ? [endedEvent(change.call)] : []);

/** An invite (a new call or more people into one): each invitee invited, or busy at once. */
export function invitedEvents(o: Extract<StartOutcome, { ok: true }>): PushEnqueue[] {
  const { call, invitation } = o;
  return [
    ...invitation.invitees.map((i) =>
      inviteeEvent(
        i.state === 'busy' ? 'call_busy_event' : 'call_invited_event',
        call,
        invitation.inviteId,
        i.userId,
        invitation.createdAt,
      ),
    ),
    ...ended(o),
  ];
}

/** An accept or a reject by `invitee`. */
export function answeredEvents(
  o: Extract<SettleOutcome, { ok: true }>,
  invitee: string,
  at: number,
): PushEnqueue[] {
  const mine = o.invitation.invitees.find((i) => i.userId === invitee);
  const name = mine?.state === 'answered' ? 'call_answered_event' : 'call_rejected_event';
  return [inviteeEvent(name, o.call, o.invitation.inviteId, invitee, at), ...ended(o)];
}

/** The inviter withdrew: each invitee still ringing cancelled. */
export function cancelledEvents(o: Extract<CancelOutcome, { ok: true }>, at: number): PushEnqueue[] {
  return [
    ...o.cancelled.map((u) => inviteeEvent('call_cancelled_event', o.call, o.invitation.inviteId, u, at)),
    ...ended(o),
  ];
}

/** A deadline passed: each invitee still ringing had no answer. */
export function timedOutEvents(o: NonNullable<ExpireOutcome>, at: number): PushEnqueue[] {
  return [
    ...o.timedOut.map((u) => inviteeEvent('call_no_answer_event', o.call, o.invitation.inviteId, u, at)),
    ...ended(o),
  ];
}

/** A member left: the invitations they sent that still rang are cancelled. */
export function leftEvents(o: Extract<LeaveOutcome, { ok: true }>, at: number): PushEnqueue[] {
  return [
    ...o.cancelled.flatMap((c) =>
      c.userIds.map((u) => inviteeEvent('call_cancelled_event', o.call, c.inviteId, u, at)),
    ),
    ...ended(o),
  ];
}
