import { ApiError, Errors, isUserId, type KickReason } from '@beckon/protocol';
import { Announcement } from './announcement.js';
import { invitedSignal, ring } from './invite.js';
import { leaveCall } from './leave.js';
import { joinedSession } from './relay.js';
import type { CallRuntime } from './runtime.js';
import type { CallSession } from './sessions.js';

export interface LoginRequest {
  /** Chosen by the gateway, unique per connection. */
  sessionId: string;
  /** The app the userSig was verified for (credentials.ts `verifyAppUserSig`). */
  appid: string;
  sdkAppId: number;
  userId: string;
}

export interface LoginResult {
  /** Earlier sessions this login kicked out (single-device apps): the gateway closes their sockets. */
  kicked: string[];
  /** Invitations still ringing for the user that were delivered to the new session as INVITED. */
  ringing: number;
}

/**
 * Leaves the calls the session is in (or that a session gone from this node had joined for the user): a
 * session is the device that holds the media, so without it the user is out of the call.
 */
async function leaveCallsOf(rt: CallRuntime, session: CallSession, all: boolean): Promise<void> {
  const calls = await rt.ctx.store.calls.activeCalls(session);
  for (const call of calls) {
    const joined = joinedSession(call, session.userId);
    const leaves = all ? !rt.sessions.heldElsewhere(joined, session.sessionId) : joined === session.sessionId;
    if (leaves) await leaveCall(rt, call.callId, session.userId);
  }
}

/** Ends a session: hangs up its calls (TRTCCalling's KICKED_OUT and logout both go idle), forgets it. */
async function endSession(rt: CallRuntime, sessionId: string, kicked?: KickReason): Promise<void> {
  const session = rt.sessions.get(sessionId);
  if (!session) return;
  await leaveCallsOf(rt, session, false);
  if (kicked) {
    const out = new Announcement(rt);
    out.deliver(session, [sessionId], { event: 'onKickedOut', reason: kicked });
    out.send();
  }
  rt.sessions.remove(sessionId);
}

/**
 * A session logs in after the gateway checked its userSig. Single-device apps (the default): the earlier
 * sessions of the user are kicked (`multipleAccount`, spec §1.4: the later login wins). Multi-device apps:
 * every session stays and rings. Either way the new session gets every invitation still ringing for the user
 * (offline delivery, within the deadline only).
 */
export async function login(rt: CallRuntime, request: LoginRequest): Promise<LoginResult> {
  const { sessionId, appid, sdkAppId, userId } = request;
  if (!isUserId(userId)) throw new ApiError(Errors.INVALID_USER_ID);
  if (typeof sessionId !== 'string' || sessionId === '' || rt.sessions.get(sessionId))
    throw new ApiError(Errors.SIGNALING_INVALID_PARAMETERS, 'sessionId missing or already logged in');
  const user = { sdkAppId, userId };
  const session: CallSession = { sessionId, appid, sdkAppId, userId, loggedInAt: rt.ctx.clock.now() };
  // Registered before the first await, so every change from now on reaches the session (the replay then
  // skips what it heard of meanwhile: nothing rings after its CALLING_CANCEL, nothing rings twice), and of
  // two logins racing, the later one sees the earlier one and kicks it.
  const earlier = rt.sessions.of(user).map((s) => s.sessionId);
  rt.sessions.add(session);
  const heard = rt.sessions.listen(sessionId);
  const out = new Announcement(rt);
  const rung = new Map<string, string[]>();
  let kicked: string[] = [];
  try {
    const { multiDevice } = await rt.ctx.store.calls.settings(appid);
    kicked = multiDevice ? [] : earlier.filter((id) => rt.sessions.get(id));
    for (const old of kicked) await endSession(rt, old, 'multipleAccount');
    // Calls held by sessions this node no longer has (a restart) are left: their media is gone.
    await leaveCallsOf(rt, session, true);
    const ringing = await rt.ctx.store.calls.ringing(user, rt.ctx.clock.now());
    const calls = await Promise.all(ringing.map((i) => rt.ctx.store.calls.getCall(i.callId)));
    // From here to send(), synchronous: nothing else can deliver in between.
    for (const [i, invitation] of ringing.entries()) {
      const call = calls[i];
      if (!call || heard.has(invitation.inviteId) || !rt.sessions.get(sessionId)) continue;
      const marks: string[] = [];
      rung.set(invitation.inviteId, marks);
      ring(out, marks, user, invitedSignal(invitation, call), sessionId);
    }
  } catch (err) {
    rt.sessions.remove(sessionId);
    throw err;
  } finally {
    rt.sessions.unlisten(sessionId);
  }
  out.send();
  const now = rt.ctx.clock.now();
  for (const [inviteId, marks] of rung)
    if (marks.length) await rt.ctx.store.calls.markRung(inviteId, [userId], now);
  return { kicked, ringing: rung.size };
}

/** Logout, or the connection closed: the session's calls are hung up; invitations keep ringing. */
export function logout(rt: CallRuntime, sessionId: string): Promise<void> {
  return endSession(rt, sessionId);
}

/** The gateway ends a session (its userSig expired…): as logout, then it hears KICKED_OUT with the reason. */
export function kick(rt: CallRuntime, sessionId: string, reason: KickReason): Promise<void> {
  return endSession(rt, sessionId, reason);
}
