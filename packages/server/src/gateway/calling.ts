import { randomBytes, randomUUID } from 'node:crypto';
import {
  ApiError,
  type CallLoginRequest,
  type CallLoginResult,
  type CallRequest,
  type CallSignal,
  Errors,
  type IceServer,
  type RequestId,
  type ServerFrame,
  WS_CLOSE,
} from '@beckon/protocol';
import { verifyAppUserSig } from '../calls/credentials.js';
import { CallService } from '../calls/service.js';
import type { Context } from '../context.js';
import type { CallUser } from '../store/port.js';
import type { Connection } from './connection.js';

export interface CallingOptions {
  /** How long a session whose socket dropped waits for a `call.login` with its resumeToken (default 20 s). */
  resumeGraceMs: number;
  /** STUN/TURN servers handed to each logged-in user. */
  iceServers: (userId: string) => IceServer[];
  /** A socket that stays open lost its calling session (logout): the gateway's login timer runs again. */
  loggedOut: (connection: Connection) => void;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** Signals a dropped session keeps for its resume; past this many it is logged out instead (a client gone). */
export const MAX_MISSED_SIGNALS = 256;

/** A calling session and the socket that holds it, if any (none while dropped, or before the login answered). */
interface Link {
  sessionId: string;
  user: CallUser;
  resumeToken: string;
  userSigExpiresAt: number;
  connection: Connection | undefined;
  missed: ServerFrame[];
  grace?: NodeJS.Timeout;
}

const ok = (id: RequestId, data: unknown): ServerFrame => ({ type: 'result', id, code: 0, data });

/** The inviteIDs of the INVITED signals among frames (held ones ring when they are flushed). */
const invitesIn = (frames: ServerFrame[]) =>
  frames.flatMap((f) =>
    f.type === 'call.signal' && f.signal.event === 'onInvited' ? [f.signal.inviteID] : [],
  );

/**
 * Calling over `/ws`: binds the CallService's sessions to sockets. A socket logs in with its userSig; its
 * commands go to the service one at a time; the service's signals come back as `call.signal` frames. A
 * session outlives a dropped socket for a grace period, so a network blip does not hang up the call.
 */
export class CallingGateway {
  readonly service: CallService;
  private readonly links = new Map<string, Link>();
  private readonly byResumeToken = new Map<string, Link>();
  /** resumeTokens of sessions kicked out (by a later login, a userSig expiry), until a resume could come. */
  private readonly kickedTokens = new Map<string, number>();

  constructor(
    private readonly ctx: Context,
    private readonly options: CallingOptions,
  ) {
    this.service = new CallService(ctx, {
      deliver: (to, sessions, signal) => this.deliver(to, sessions, signal),
      log: options.log,
    });
  }

  /** Handles one request and sends its result; never rejects. A closing socket's requests are dropped. */
  async handle(connection: Connection, request: CallRequest): Promise<void> {
    if (!connection.open) return;
    try {
      if (request.type === 'call.login') return await this.login(connection, request);
      const sessionId = connection.callSession;
      if (!sessionId) throw new ApiError(Errors.CALL_NOT_LOGGED_IN);
      if (request.type === 'call.logout') {
        await this.end(sessionId);
        return connection.send(ok(request.id, null));
      }
      const { id, ...command } = request;
      connection.send(ok(id, await this.service.handle(sessionId, command)));
    } catch (err) {
      if (!(err instanceof ApiError)) this.options.log.error({ err }, 'calling: request failed');
      const e = err instanceof ApiError ? err : new ApiError(Errors.SYSTEM_ERROR);
      connection.send({ type: 'result', id: request.id, code: e.code, message: e.message });
    }
  }

  /** The socket closed: its session waits out the grace period for a resume, then logs out. */
  dropped(connection: Connection): void {
    const link = connection.callSession ? this.links.get(connection.callSession) : undefined;
    connection.callSession = undefined;
    if (link?.connection !== connection) return;
    link.connection = undefined;
    this.await(link);
  }

  /** Kicks out (`userSigExpired`) every session whose userSig has expired by the context's clock. */
  async expireUserSigs(): Promise<void> {
    const now = this.ctx.clock.now();
    for (const link of [...this.links.values()]) {
      if (link.userSigExpiresAt > now) continue;
      await this.service.kick(link.sessionId, 'userSigExpired');
      this.unlink(link, true);
    }
  }

  /** Shutdown: forget dropped sessions' timers (their calls are left to the store's liveness sweep). */
  close(): void {
    for (const link of this.links.values()) clearTimeout(link.grace);
  }

  get sessionCount(): number {
    return this.links.size;
  }

  private async login(connection: Connection, request: CallLoginRequest): Promise<void> {
    if (connection.callSession)
      throw new ApiError(
        Errors.SIGNALING_INVALID_PARAMETERS,
        'this socket is already logged in: log out first',
      );
    const verdict = await verifyAppUserSig(this.ctx, request.sdkAppId, request.userId, request.userSig);
    if (!verdict.ok) throw new ApiError(verdict.error);
    if (!connection.open) return;
    const user = { sdkAppId: request.sdkAppId, userId: request.userId };
    if (request.resume && this.wasKicked(request.resume)) throw new ApiError(Errors.CALL_SESSION_KICKED);
    const resumed = request.resume ? this.resume(request.resume, user) : undefined;
    if (resumed) {
      // The old socket may look open still (a half-open drop the heartbeat has not caught): this one wins.
      const old = resumed.connection;
      if (old && old !== connection) {
        old.callSession = undefined;
        if (!old.auth) old.close(WS_CLOSE.KICKED, 'resumed on another socket');
      }
      resumed.userSigExpiresAt = verdict.expiresAt;
      connection.send(ok(request.id, this.result(resumed, true, 0)));
      return this.attach(resumed, connection);
    }
    // Not attached until the result is out: INVITED replays (delivered during login) wait in `missed`.
    const link: Link = {
      sessionId: randomUUID(),
      user,
      resumeToken: randomBytes(24).toString('base64url'),
      userSigExpiresAt: verdict.expiresAt,
      connection: undefined,
      missed: [],
    };
    this.links.set(link.sessionId, link);
    this.byResumeToken.set(link.resumeToken, link);
    let outcome: Awaited<ReturnType<CallService['login']>>;
    try {
      outcome = await this.service.login({ sessionId: link.sessionId, appid: verdict.app.appid, ...user });
    } catch (err) {
      this.unlink(link, false);
      throw err;
    }
    for (const sessionId of outcome.kicked) {
      const old = this.links.get(sessionId);
      if (old) this.unlink(old, true);
    }
    connection.send(ok(request.id, this.result(link, false, outcome.ringing)));
    if (this.links.get(link.sessionId) === link) return this.attach(link, connection);
    // A later login of the same user kicked this one while it was logging in: it hears so, like any other.
    for (const frame of link.missed.splice(0)) connection.send(frame);
    if (!connection.auth) connection.close(WS_CLOSE.KICKED, 'kicked out');
  }

  /** Whether the resumeToken's session was kicked out recently (its client must hear so, not a fresh login). */
  private wasKicked(token: string): boolean {
    const now = Date.now();
    this.forgetOldKicks(now);
    // Its own expiry, too: one left behind a later-expiring kick (a clock step back) is not kicked any more.
    return (this.kickedTokens.get(token) ?? 0) > now;
  }

  /**
   * Drops the kicks no resume can come for any more. Each lives as long as the others, so the map is in
   * expiry order and the walk stops at the first one still live; run on every kick too, so relogins that
   * are never resumed do not pile up.
   */
  private forgetOldKicks(now: number): void {
    for (const [t, until] of this.kickedTokens) {
      if (until > now) return;
      this.kickedTokens.delete(t);
    }
  }

  /** The session a resumeToken names, if it is still held and is the same user's. */
  private resume(token: string, user: CallUser): Link | undefined {
    const link = this.byResumeToken.get(token);
    if (!link || link.user.sdkAppId !== user.sdkAppId || link.user.userId !== user.userId) return undefined;
    return link;
  }

  private result(link: Link, resumed: boolean, ringing: number): CallLoginResult {
    return {
      sessionId: link.sessionId,
      resumeToken: link.resumeToken,
      resumed,
      userSigExpiresAt: link.userSigExpiresAt,
      iceServers: this.options.iceServers(link.user.userId),
      ringing,
    };
  }

  /** Binds the session to the socket and flushes what it missed; a socket closed meanwhile is a drop. */
  private attach(link: Link, connection: Connection): void {
    clearTimeout(link.grace);
    link.grace = undefined;
    if (!connection.open) {
      link.connection = undefined;
      this.await(link);
      return;
    }
    link.connection = connection;
    connection.callSession = link.sessionId;
    const missed = link.missed.splice(0);
    for (const frame of missed) connection.send(frame);
    const invites = invitesIn(missed);
    if (invites.length)
      this.service
        .rang(link.sessionId, invites)
        .catch((err) => this.options.log.warn({ err }, 'calling: marking invitations rung failed'));
  }

  /** A session without a socket: logged out unless a resume takes it back within the grace. */
  private await(link: Link): void {
    clearTimeout(link.grace);
    const expire = () => this.endQuietly(link.sessionId);
    if (this.options.resumeGraceMs <= 0) {
      expire();
      return;
    }
    link.grace = setTimeout(expire, this.options.resumeGraceMs);
    link.grace.unref();
  }

  /** Forgets a session's socket binding; a kicked socket without a platform session is closed. */
  private unlink(link: Link, kicked: boolean): void {
    clearTimeout(link.grace);
    this.links.delete(link.sessionId);
    this.byResumeToken.delete(link.resumeToken);
    // A dropped client may come back within the grace to resume: it must learn it was kicked meanwhile.
    if (kicked) {
      const now = Date.now();
      this.forgetOldKicks(now);
      this.kickedTokens.set(link.resumeToken, now + Math.max(this.options.resumeGraceMs, 60_000));
    }
    const connection = link.connection;
    link.connection = undefined;
    if (!connection || connection.callSession !== link.sessionId) return;
    connection.callSession = undefined;
    if (kicked && !connection.auth) connection.close(WS_CLOSE.KICKED, 'kicked out');
    else if (connection.open) this.options.loggedOut(connection);
  }

  /** Logout, or a drop whose grace ran out: the service hangs up the session's calls. */
  private async end(sessionId: string): Promise<void> {
    const link = this.links.get(sessionId);
    if (link) this.unlink(link, false);
    await this.service.logout(sessionId);
  }

  /** end() off any request: a failure is logged, not thrown. */
  private endQuietly(sessionId: string): void {
    this.end(sessionId).catch((err) => this.options.log.warn({ err }, 'calling: logout failed'));
  }

  /**
   * The service's way out: each signal as a frame on the named sessions' sockets, or kept for a resume.
   * False when no live socket took it.
   */
  private deliver(to: CallUser, sessions: readonly string[] | 'all', signal: CallSignal): boolean {
    const ids = sessions === 'all' ? this.service.sessionsOf(to) : sessions;
    const frame: ServerFrame = { type: 'call.signal', signal };
    let reached = false;
    for (const sessionId of ids) {
      const link = this.links.get(sessionId);
      if (!link) continue;
      if (link.connection?.open) {
        link.connection.send(frame);
        reached = true;
      } else if (link.missed.length < MAX_MISSED_SIGNALS) {
        link.missed.push(frame);
      } else if (this.byResumeToken.delete(link.resumeToken)) {
        // A dropped client this far behind is not coming back in time: no resume from here on, and it ends
        // now (outside the service's own delivery) rather than at the grace's end.
        clearTimeout(link.grace);
        setImmediate(() => {
          if (!link.connection) this.endQuietly(sessionId);
        });
      }
    }
    return reached;
  }
}
