import { randomInt, randomUUID } from 'node:crypto';
import {
  type AcceptReceipt,
  ApiError,
  CALL_ROOM_ID_MAX,
  type CallCommand,
  type CallResults,
  Errors,
  type InviteCommand,
  type InviteReceipt,
  type KickReason,
} from '@beckon/protocol';
import type { Context } from '../context.js';
import type { CallUser, MediaState } from '../store/port.js';
import { accept, reject } from './answer.js';
import { invite } from './invite.js';
import { cancel, hangup, leaveCall } from './leave.js';
import { evictStranded, heartbeat } from './liveness.js';
import { relay, setMedia } from './media.js';
import { kick, type LoginRequest, type LoginResult, login, logout } from './presence.js';
import { joinedSession } from './relay.js';
import type { CallLog, CallRuntime, Deliver } from './runtime.js';
import { type CallSession, SessionRegistry } from './sessions.js';
import { sweep } from './timeouts.js';

export type { LoginRequest, LoginResult } from './presence.js';
export type { CallLog, Deliver } from './runtime.js';

export interface CallServiceOptions {
  /** Where signals go: the gateway's sockets. */
  deliver: Deliver;
  /** inviteIDs and callIds (default: RFC 4122 v4, as TSignaling's). */
  newId?: () => string;
  /** TRTC room ids for calls whose client brought none (default: random 1…2147483646, as the MP kit). */
  drawRoomId?: () => number;
  log?: CallLog;
  /**
   * This node's id, recorded on the call members it joins. Unique per process: the default is random, so a
   * restarted process is a new node and its previous incarnation goes stale (its members are evicted). A
   * fixed id reused after a restart would keep them in their calls until they log in again.
   */
  nodeId?: string;
  /**
   * How long a node may go without a heartbeat (its sweep) before another node's sweep makes its members
   * leave their calls (default: 3 sweep intervals, see startSweeping).
   */
  nodeStaleAfterMs?: number;
}

/** Sweep interval when startSweeping is given none. */
const SWEEP_INTERVAL_MS = 1000;
/** Missed heartbeats before a node counts as dead, when no window is configured. */
const STALE_INTERVALS = 3;

/**
 * Server-side calling (issue 5 §2; spec calling.md §1.2–1.5), free of any transport. The gateway logs
 * sessions in and out, hands it each command of a logged-in session, and turns what it delivers into
 * frames; `sweep()` (on a timer, or by hand with a ManualClock) fires the deadlines kept in the store.
 * Refusals are ApiErrors with TSignaling's codes (6017, 8010, 8011), 2024 for an unknown session, and
 * Beckon's 9400x.
 */
export class CallService {
  private readonly rt: CallRuntime;

  private staleAfterMs: number;

  constructor(
    ctx: Context,
    private readonly options: CallServiceOptions,
  ) {
    this.staleAfterMs = options.nodeStaleAfterMs ?? STALE_INTERVALS * SWEEP_INTERVAL_MS;
    this.rt = {
      ctx,
      nodeId: options.nodeId ?? randomUUID(),
      sessions: new SessionRegistry(),
      deliver: options.deliver,
      newId: options.newId ?? randomUUID,
      drawRoomId: options.drawRoomId ?? (() => randomInt(1, CALL_ROOM_ID_MAX + 1)),
      log: options.log ?? { warn: () => {} },
    };
  }

  login(request: LoginRequest): Promise<LoginResult> {
    return login(this.rt, request);
  }

  logout(sessionId: string): Promise<void> {
    return logout(this.rt, sessionId);
  }

  /**
   * Ends a session from the server's side (the gateway, when its userSig expires): it hangs up its calls as
   * on logout, then hears KICKED_OUT with the reason. Nothing for a session this node does not have.
   */
  kick(sessionId: string, reason: KickReason): Promise<void> {
    return kick(this.rt, sessionId, reason);
  }

  session(sessionId: string): CallSession | undefined {
    return this.rt.sessions.get(sessionId);
  }

  /** The user's sessions on this node, oldest login first: what `'all'` means at the moment of a delivery. */
  sessionsOf(user: CallUser): string[] {
    return this.rt.sessions.of(user).map((s) => s.sessionId);
  }

  /** Logged-in sessions on this node. */
  get sessionCount(): number {
    return this.rt.sessions.size;
  }

  /**
   * INVITED signals the gateway held for a session without a live socket (a login's replay, or a dropped
   * socket's) reached it now: those invitations rang (their timeout is CALLING_TIMEOUT, not NO_RESP).
   */
  async rang(sessionId: string, inviteIds: string[]): Promise<void> {
    const session = this.rt.sessions.get(sessionId);
    if (!session) return;
    const now = this.rt.ctx.clock.now();
    for (const inviteId of inviteIds) await this.rt.ctx.store.calls.markRung(inviteId, [session.userId], now);
  }

  async invite(sessionId: string, command: InviteCommand): Promise<InviteReceipt> {
    const session = this.loggedIn(sessionId);
    const receipt = await invite(this.rt, session, command);
    await this.leaveIfEnded(session, receipt.callId);
    return receipt;
  }

  async accept(sessionId: string, inviteId: string): Promise<AcceptReceipt> {
    const session = this.loggedIn(sessionId);
    const receipt = await accept(this.rt, session, inviteId);
    await this.leaveIfEnded(session, receipt.callId);
    return receipt;
  }

  async reject(sessionId: string, inviteId: string): Promise<void> {
    return reject(this.rt, this.loggedIn(sessionId), inviteId);
  }

  async cancel(sessionId: string, inviteId: string): Promise<void> {
    return cancel(this.rt, this.loggedIn(sessionId), inviteId);
  }

  /** Leaves the named call, or the session's running call. */
  async hangup(sessionId: string, callId?: string): Promise<void> {
    return hangup(this.rt, this.loggedIn(sessionId), callId);
  }

  async setMedia(sessionId: string, callId: string, state: MediaState): Promise<void> {
    return setMedia(this.rt, this.loggedIn(sessionId), callId, state);
  }

  async relay(sessionId: string, callId: string, toUserId: string, data: unknown): Promise<void> {
    return relay(this.rt, this.loggedIn(sessionId), callId, toUserId, data);
  }

  /** One command as the gateway decoded it from a frame; answers its result frame's `data` (null: done). */
  async handle<C extends CallCommand>(sessionId: string, command: C): Promise<CallResults[C['type']]> {
    const c = command as CallCommand;
    const result = await (async () => {
      switch (c.type) {
        case 'call.invite':
          return this.invite(sessionId, c.invite);
        case 'call.accept':
          return this.accept(sessionId, c.inviteID);
        case 'call.reject':
          return this.reject(sessionId, c.inviteID);
        case 'call.cancel':
          return this.cancel(sessionId, c.inviteID);
        case 'call.hangup':
          return this.hangup(sessionId, c.callId);
        case 'call.media':
          return this.setMedia(sessionId, c.callId, { video: c.video, audio: c.audio });
        case 'call.relay':
          return this.relay(sessionId, c.callId, c.toUserID, c.data);
        default:
          throw new ApiError(
            Errors.SIGNALING_INVALID_PARAMETERS,
            `unknown command ${JSON.stringify((c as { type?: unknown }).type)}`,
          );
      }
    })();
    return (result ?? null) as CallResults[C['type']];
  }

  /** This node, as its call members record it. */
  get nodeId(): string {
    return this.rt.nodeId;
  }

  /**
   * One sweep, by the context's clock: heartbeats this node, fires every deadline due, then makes the members
   * of nodes silent for longer than the staleness window leave their calls (liveness.ts). Returns how many
   * invitees timed out.
   */
  async sweep(): Promise<number> {
    await heartbeat(this.rt);
    const timedOut = await sweep(this.rt);
    await evictStranded(this.rt, this.staleAfterMs);
    return timedOut;
  }

  /**
   * The one periodic job, started once at boot: sweeps now, then every `intervalMs` of real time (default
   * 1 s: a timeout fires at most that late). Unless `nodeStaleAfterMs` was given, a node silent for 3
   * intervals counts as dead. Sweeps never overlap; a tick that finds one still running only heartbeats, so
   * a long sweep does not make this node look dead. Returns the stop function.
   */
  startSweeping(intervalMs = SWEEP_INTERVAL_MS): () => void {
    this.staleAfterMs = this.options.nodeStaleAfterMs ?? STALE_INTERVALS * intervalMs;
    const failed = (err: unknown) => this.rt.log.warn({ err }, 'call sweep failed');
    let running = false;
    const tick = () => {
      if (running) {
        heartbeat(this.rt).catch(failed);
        return;
      }
      running = true;
      this.sweep()
        .catch(failed)
        .finally(() => {
          running = false;
        });
    };
    const timer = setInterval(tick, intervalMs);
    timer.unref();
    tick();
    return () => clearInterval(timer);
  }

  /**
   * A join that committed after its session ended (a logout or kick while the command was in flight) would
   * leave a member nobody holds, busy for every later call: it leaves at once.
   */
  private async leaveIfEnded(session: CallSession, callId: string): Promise<void> {
    if (this.rt.sessions.get(session.sessionId)) return;
    const call = await this.rt.ctx.store.calls.getCall(callId);
    if (call && joinedSession(call, session.userId) === session.sessionId)
      await leaveCall(this.rt, callId, session.userId);
  }

  private loggedIn(sessionId: string): CallSession {
    const session = this.rt.sessions.get(sessionId);
    if (!session) throw new ApiError(Errors.CALL_NOT_LOGGED_IN);
    return session;
  }
}
