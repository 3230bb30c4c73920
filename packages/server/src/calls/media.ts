import { ApiError, type CallSignal, Errors } from '@beckon/protocol';
import type { CallMemberRecord, CallRecord, MediaState } from '../store/port.js';
import { Announcement } from './announcement.js';
import { toMember, toMembers } from './notify.js';
import { isInCall, mayRelay } from './relay.js';
import type { CallRuntime } from './runtime.js';
import type { CallSession } from './sessions.js';

/**
 * The session's user is in the call (`member`, their row while in it), and this session is the device that
 * joined, unless that device is gone from this node.
 */
function mustHaveJoined(rt: CallRuntime, session: CallSession, member: CallMemberRecord | undefined): void {
  if (!member || member.leftAt !== null) throw new ApiError(Errors.CALL_NOT_FOUND);
  if (rt.sessions.heldElsewhere(member.sessionId, session.sessionId))
    throw new ApiError(Errors.SIGNALING_NO_PERMISSION);
}

/** The running call, if the session is the one of its user's that is in it. */
async function joinedCall(rt: CallRuntime, session: CallSession, callId: unknown): Promise<CallRecord> {
  const call = typeof callId === 'string' ? await rt.ctx.store.calls.getCall(callId) : undefined;
  if (!call || call.sdkAppId !== session.sdkAppId || !isInCall(call, session.userId))
    throw new ApiError(Errors.CALL_NOT_FOUND);
  const mine = call.members.find((m) => m.userId === session.userId);
  mustHaveJoined(rt, session, mine);
  return call;
}

/** USER_VIDEO_AVAILABLE / USER_AUDIO_AVAILABLE for what of the user's camera and mic is set (not null). */
export function mediaSignals(
  callId: string,
  userId: string,
  media: { video?: boolean | null; audio?: boolean | null },
): CallSignal[] {
  const signals: CallSignal[] = [];
  if (typeof media.video === 'boolean')
    signals.push({ event: 'onUserVideoAvailable', callId, userID: userId, isVideoAvailable: media.video });
  if (typeof media.audio === 'boolean')
    signals.push({ event: 'onUserAudioAvailable', callId, userID: userId, isAudioAvailable: media.audio });
  return signals;
}

/**
 * Camera or mic on/off: kept on the member (a later joiner hears it on accept), and USER_VIDEO_AVAILABLE /
 * USER_AUDIO_AVAILABLE to the other members now.
 */
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
  const media = state as MediaState;
  if (!(await rt.ctx.store.calls.setMedia(call.callId, me, media))) throw new ApiError(Errors.CALL_NOT_FOUND);
  const out = new Announcement(rt);
  for (const signal of mediaSignals(call.callId, me, media)) toMembers(out, call, signal, me);
  out.send();
}

/**
 * Media negotiation (SDP, ICE) to one other member of the same call, and to nobody else (mayRelay). The hot
 * path: it reads only the two members' rows (`membersIn`), never the whole call, and caches nothing, so a
 * leave on any node sharing the store stops the relay at once.
 */
export async function relay(
  rt: CallRuntime,
  session: CallSession,
  callId: unknown,
  toUserId: unknown,
  data: unknown,
): Promise<void> {
  if (typeof callId !== 'string') throw new ApiError(Errors.CALL_NOT_FOUND);
  const me = session.userId;
  const to = typeof toUserId === 'string' && toUserId !== me ? toUserId : undefined;
  const members = await rt.ctx.store.calls.membersIn(callId, session.sdkAppId, to ? [me, to] : [me]);
  const mine = members.find((m) => m.userId === me);
  mustHaveJoined(rt, session, mine);
  // Only rows of members in the running call came back: that is the call as far as the relay rule sees it.
  const present = { sdkAppId: session.sdkAppId, endedAt: null, members };
  if (to === undefined || !mayRelay(present, me, to))
    throw new ApiError(Errors.SIGNALING_NO_PERMISSION, 'the receiver is not in this call');
  const out = new Announcement(rt);
  toMember(out, present, to, { event: 'onRelay', callId, userID: me, data });
  out.send();
}
