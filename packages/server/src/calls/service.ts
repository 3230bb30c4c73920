import { randomInt, randomUUID } from 'node:crypto';
import {
  type AcceptReceipt,
  ApiError,
  CALL_ROOM_ID_MAX,
  type CallCommand,
  Errors,
  type InviteCommand,
  type InviteReceipt,
} from '@beckon/protocol';
import type { Context } from '../context.js';
import type { CallUser } from '../store/port.js';
import { accept, reject } from './answer.js';
import { invite } from './invite.js';
import { cancel, hangup } from './leave.js';
import { relay, setMedia } from './media.js';
import { type LoginRequest, type LoginResult, login, logout } from './presence.js';
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
}

/** What each command answers. */
export interface CommandResults {
  'call.invite': InviteReceipt;
  'call.accept': AcceptReceipt;
  'call.reject': undefined;
  'call.cancel': undefined;
  'call.hangup': undefined;
  'call.media': undefined;
  'call.relay': undefined;
}

/**
 * Server-side calling (issue 5 §2; spec calling.md §1.2–1.5), free of any transport. The gateway logs
 * sessions in and out, hands it each command of a logged-in session, and turns what it delivers into
 * frames; `sweep()` (on a timer, or by hand with a ManualClock) fires the deadlines kept in the store.
 * Refusals are ApiErrors with TSignaling's codes (6017, 8010, 8011), 2024 for an unknown session, and
 * Beckon's 9400x.
 */
export class CallService {
  private readonly rt: CallRuntime;

  constructor(ctx: Context, options: CallServiceOptions) {
    this.rt = {
      ctx,
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

  async invite(sessionId: string, command: InviteCommand): Promise<InviteReceipt> {
    return invite(this.rt, this.loggedIn(sessionId), command);
  }

  async accept(sessionId: string, inviteId: string): Promise<AcceptReceipt> {
    return accept(this.rt, this.loggedIn(sessionId), inviteId);
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

  async setMedia(
    sessionId: string,
    callId: string,
    state: { video?: boolean; audio?: boolean },
  ): Promise<void> {
    return setMedia(this.rt, this.loggedIn(sessionId), callId, state);
  }

  async relay(sessionId: string, callId: string, toUserId: string, data: unknown): Promise<void> {
    return relay(this.rt, this.loggedIn(sessionId), callId, toUserId, data);
  }

  /** One command as the gateway decoded it from a frame. */
  async handle<C extends CallCommand>(sessionId: string, command: C): Promise<CommandResults[C['type']]> {
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
    return result as CommandResults[C['type']];
  }

  /** Fires every deadline due by the context's clock; returns how many invitees timed out. */
  sweep(): Promise<number> {
    return sweep(this.rt);
  }

  /**
   * Sweeps every `intervalMs` of real time (default 1 s: a timeout fires at most that late). Returns the
   * stop function. Sweeps never overlap.
   */
  startSweeping(intervalMs = 1000): () => void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.sweep()
        .catch((err) => this.rt.log.warn({ err }, 'call sweep failed'))
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private loggedIn(sessionId: string): CallSession {
    const session = this.rt.sessions.get(sessionId);
    if (!session) throw new ApiError(Errors.CALL_NOT_LOGGED_IN);
    return session;
  }
}
