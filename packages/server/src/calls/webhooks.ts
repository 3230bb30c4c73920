import type { CallEventName, CallWebhookFields } from '@beckon/protocol';
import type { CallRecord, InvitationRecord } from '../store/port.js';
import type { CallRuntime } from './runtime.js';

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

/**
 * Hands one call event to the app's push outbox (written only when the app has push enabled). After the
 * state change committed: a failed write is logged, never undoes the call.
 */
async function enqueue(rt: CallRuntime, event: CallEventName, about: string, call: CallRecord, data: object) {
  try {
    // The RTC userID is the app's own name for the user: it is the event's FromUserName as is.
    await rt.ctx.store.push.enqueue({
      appid: call.appid,
      userId: about,
      openid: about,
      event,
      data,
      at: rt.ctx.clock.now(),
    });
  } catch (err) {
    rt.log.warn({ err, event, callId: call.callId }, 'call webhook not enqueued');
  }
}

/** An event about one invitee of one invitation (invited, answered, rejected, busy, no answer, cancelled). */
export function inviteeWebhook(
  rt: CallRuntime,
  event: Exclude<CallEventName, 'call_ended_event'>,
  call: CallRecord,
  invitation: InvitationRecord,
  invitee: string,
): Promise<void> {
  const state = invitation.invitees.find((i) => i.userId === invitee)?.state;
  return enqueue(rt, event, invitee, call, {
    ...head(call),
    InviteId: invitation.inviteId,
    Inviter: invitation.inviter,
    Invitee: invitee,
    ...(state && state !== 'pending' ? { Result: state } : {}),
  } satisfies CallWebhookFields);
}

/** `call_ended_event`: the whole record, about the caller. */
export function endedWebhook(rt: CallRuntime, call: CallRecord): Promise<void> {
  return enqueue(rt, 'call_ended_event', call.caller, call, {
    ...head(call),
    EndTime: seconds(call.endedAt ?? rt.ctx.clock.now()),
    Duration: call.duration ?? 0,
    Invitees: call.invitees.map((i) => ({
      UserId: i.userId,
      InviteId: i.inviteId,
      Inviter: i.invitedBy,
      Result: i.result,
    })),
  } satisfies CallWebhookFields);
}
