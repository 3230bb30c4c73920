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
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** Signals a dropped session keeps for its resume; past this many it is logged out instead (a client gone). */
const MAX_MISSED = 256;

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

const ok = (id: RequestId, data: unknown): ServerFrame => ({
  type: 'result',
  id,
  code: 0,
  data: data ?? null,
});

/**
 * Calling over `/ws`: binds the CallService's sessions to sockets. A socket logs in with its userSig; its
 * commands go to the service one at a time; the service's signals come back as `call.signal` frames. A
 * session outlives a dropped socket for a grace period, so a network blip does not hang up the call.
 */
export class CallingGateway {
  readonly service: CallService;
  private readonly links = new Map<string, Link>();
  private readonly byResumeToken = new Map<string, Link>();

  constructor(
    private readonly ctx: Context,
    private readonly options: CallingOptions,
  ) {
    this.service = new CallService(ctx, {
      deliver: (to, sessions, signal) => this.deliver(to, sessions, signal),
      log: options.log,
    });
  }

  /** Handles one request and sends its result; never rejects. */
  async handle(connection: Connection, request: CallRequest): Promise<void> {
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
    if (!link || link.connection !== connection) return;
    link.connection = undefined;
    const expire = () => {
      this.end(link.sessionId).catch((err) => this.options.log.warn({ err }, 'calling: logout failed'));
    };
    if (this.options.resumeGraceMs <= 0) {
      expire();
      return;
    }
    link.grace = setTimeout(expire, this.options.resumeGraceMs);
    link.grace.unref();
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
    const user = { sdkAppId: request.sdkAppId, userId: request.userId };
    const resumed = request.resume ? this.resume(request.resume, user) : undefined;
    if (resumed) {
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
    try {
      const { kicked, ringing } = await this.service.login({
        sessionId: link.sessionId,
        appid: verdict.app.appid,
        ...user,
      });
      for (const sessionId of kicked) {
        const old = this.links.get(sessionId);
        if (old) this.unlink(old, true);
      }
      connection.send(ok(request.id, this.result(link, false, ringing)));
      this.attach(link, connection);
    } catch (err) {
      this.unlink(link, false);
      throw err;
    }
  }

  /** The dropped session a resumeToken names, if it is still held and is the same user's. */
  private resume(token: string, user: CallUser): Link | undefined {
    const link = this.byResumeToken.get(token);
    if (!link || link.connection?.open) return undefined;
    if (link.user.sdkAppId !== user.sdkAppId || link.user.userId !== user.userId) return undefined;
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

  private attach(link: Link, connection: Connection): void {
    clearTimeout(link.grace);
    link.grace = undefined;
    link.connection = connection;
    connection.callSession = link.sessionId;
    for (const frame of link.missed.splice(0)) connection.send(frame);
  }

  /** Forgets a session's socket binding; a kicked socket without a platform session is closed. */
  private unlink(link: Link, kicked: boolean): void {
    clearTimeout(link.grace);
    this.links.delete(link.sessionId);
    this.byResumeToken.delete(link.resumeToken);
    const connection = link.connection;
    link.connection = undefined;
    if (!connection || connection.callSession !== link.sessionId) return;
    connection.callSession = undefined;
    if (kicked && !connection.auth) connection.close(WS_CLOSE.KICKED, 'kicked out');
  }

  /** Logout, or a drop whose grace ran out: the service hangs up the session's calls. */
  private async end(sessionId: string): Promise<void> {
    const link = this.links.get(sessionId);
    if (link) this.unlink(link, false);
    await this.service.logout(sessionId);
  }

  /** The service's way out: each signal as a frame on the named sessions' sockets (or kept for a resume). */
  private deliver(to: CallUser, sessions: readonly string[] | 'all', signal: CallSignal): void {
    const ids = sessions === 'all' ? this.service.sessionsOf(to) : sessions;
    const frame: ServerFrame = { type: 'call.signal', signal };
    for (const sessionId of ids) {
      const link = this.links.get(sessionId);
      if (!link) continue;
      if (link.connection?.open) link.connection.send(frame);
      else if (link.missed.length < MAX_MISSED) link.missed.push(frame);
      else if (link.grace) {
        // A dropped client this far behind is not coming back in time: end it now (not from inside the
        // service's own delivery), not at the grace's end.
        clearTimeout(link.grace);
        link.grace = undefined;
        setImmediate(() => this.end(sessionId).catch(() => {}));
      }
    }
  }
}
