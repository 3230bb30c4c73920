import { ApiError, Errors } from '@beckon/protocol';
import type { CallRecord } from '../store/port.js';
import { Announcement } from './announcement.js';
import { toMember, toMembers } from './notify.js';
import { isInCall, mayRelay } from './relay.js';
import type { CallRuntime } from './runtime.js';
import type { CallSession } from './sessions.js';

/** The running call, if the session is the one of its user's that is in it. */
async function joinedCall(rt: CallRuntime, session: CallSession, callId: unknown): Promise<CallRecord> {
  const call = typeof callId === 'string' ? await rt.ctx.store.calls.getCall(callId) : undefined;
  const member = call?.members.find((m) => m.userId === session.userId && m.leftAt === null);
  if (!call || call.sdkAppId !== session.sdkAppId || !isInCall(call, session.userId) || !member)
    throw new ApiError(Errors.CALL_NOT_FOUND);
  if (member.sessionId !== session.sessionId && member.sessionId && rt.sessions.get(member.sessionId))
    throw new ApiError(Errors.SIGNALING_NO_PERMISSION);
  return call;
}

/** Camera or mic on/off: USER_VIDEO_AVAILABLE / USER_AUDIO_AVAILABLE to the other members. */
export async function setMedia(
  rt: CallRuntime,
  session: CallSession,
  callId: unknown,
  state: { video?: unknown; audio?: unknown },
): Promise<void> {
  const call = await joinedCall(rt, session, callId);
  const me = session.userId;
  if (state.video !== undefined && typeof state.video !== 'boolean')
    throw new ApiError(Errors.SIGNALING_INVALID_PARAMETERS, 'video must be true or false');
  if (state.audio !== undefined && typeof state.audio !== 'boolean')
    throw new ApiError(Errors.SIGNALING_INVALID_PARAMETERS, 'audio must be true or false');
  const out = new Announcement(rt);
  if (typeof state.video === 'boolean')
    toMembers(
      out,
      call,
      { event: 'onUserVideoAvailable', callId: call.callId, userID: me, isVideoAvailable: state.video },
      me,
    );
  if (typeof state.audio === 'boolean')
    toMembers(
      out,
      call,
      { event: 'onUserAudioAvailable', callId: call.callId, userID: me, isAudioAvailable: state.audio },
      me,
    );
  out.send();
}

/** Media negotiation (SDP, ICE) to one other member of the same call, and to nobody else (mayRelay). */
export async function relay(
  rt: CallRuntime,
  session: CallSession,
  callId: unknown,
  toUserId: unknown,
  data: unknown,
): Promise<void> {
  const call = await joinedCall(rt, session, callId);
  if (typeof toUserId !== 'string' || !mayRelay(call, session.userId, toUserId))
    throw new ApiError(Errors.SIGNALING_NO_PERMISSION, 'the receiver is not in this call');
  const out = new Announcement(rt);
  toMember(out, call, toUserId, { event: 'onRelay', callId: call.callId, userID: session.userId, data });
  out.send();
}
