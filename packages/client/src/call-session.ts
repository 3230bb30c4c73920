import type { CallSignal } from '@beckon/protocol/calls';
import { TRTC_CALLING_ERROR } from '@beckon/protocol/calls';
import { Errors } from '@beckon/protocol/errors';
import type { CallLoginResult, CallRequest, CallResults } from '@beckon/protocol/frames';
import { CallingError } from './errors.js';
import { type BeckonSocket, type RequestFields, SocketError } from './socket/index.js';

export interface Credentials {
  sdkAppId: number;
  userId: string;
  userSig: string;
}

export interface CallSessionEvents {
  signal(signal: CallSignal): void;
  /** The socket dropped and came back: `resumed` false means the server no longer held the session. */
  reconnected(resumed: boolean): void;
  /**
   * The session is over for good: `kicked` (KICKED_OUT: another login, an expired userSig), `replaced` (a
   * later login kicked it while its socket was down), `gone` (the socket gave up or closed, or the server
   * refused the session when it came back).
   */
  closed(reason: 'kicked' | 'replaced' | 'gone'): void;
}

/** How many reconnects a socket TRTCCalling opens for itself tries before it gives up (ERROR 2805). */
export const CALL_SOCKET_RETRIES = 8;

interface Waiting {
  type: CallRequest['type'];
  fields: object;
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/** The socket's failures as TRTCCalling's: a request the socket could not carry is 2805. */
function callingError(err: unknown): unknown {
  if (!(err instanceof SocketError)) return err;
  return new CallingError(err.network ? TRTC_CALLING_ERROR.NO_NETWORK : err.code, err.message);
}

/**
 * Calling's session on a socket (docs/calling.md): `call.login` with the userSig, signals pushed, and
 * `call.logout`. After the socket reconnects it resumes the session with its resumeToken, so a call survives
 * a network blip; requests made meanwhile wait for the resume (and fail with 2805 if it does not come).
 * The socket may be shared (the phone's, carrying its inbox too): then closing the session leaves it open.
 *
 * @example
 * const session = new CallSession(socket, { signal, reconnected, closed });
 * await session.open({ sdkAppId, userId: 'alice', userSig });
 * await session.request('call.invite', { invite: { userIDList: ['bob'], type: 2 } });
 */
export class CallSession {
  private credentials: Credentials | undefined;
  private login: CallLoginResult | undefined;
  /** Requests made while the session is being resumed, sent once it is back. */
  private readonly waiting: Waiting[] = [];
  /** Logged in on the socket as it is now: requests go out at once. */
  private ready = false;
  private stopped = false;
  private detach: (() => void)[] = [];

  constructor(
    private readonly socket: BeckonSocket,
    private readonly events: CallSessionEvents,
    /** Whether the session closes its socket with it (TRTCCalling's own socket) or leaves it (a shared one). */
    private readonly ownsSocket = false,
  ) {}

  get session(): CallLoginResult | undefined {
    return this.login;
  }

  /**
   * Opens the socket if it is not open and logs in; rejects with the server's code (70001 expired sig…).
   * @example await session.open({ sdkAppId: 1400123456, userId: 'alice', userSig });
   */
  async open(credentials: Credentials): Promise<CallLoginResult> {
    this.stopped = false;
    this.credentials = credentials;
    this.detach = [
      this.socket.on('call.signal', ({ signal }) => this.signal(signal)),
      this.socket.onStatus((status) => {
        if (status === 'reconnecting') this.ready = false;
        if (status === 'closed' && this.login && !this.stopped)
          this.end(this.socket.closeReason === 'kicked' ? 'kicked' : 'gone');
      }),
      this.socket.onReconnect(() => this.resume()),
    ];
    try {
      await this.socket.open();
      this.login = await this.send('call.login', { ...credentials });
    } catch (err) {
      this.unlisten();
      throw callingError(err);
    }
    this.ready = true;
    return this.login;
  }

  /** Logs out; closes the socket too when the session owns it. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.ready) await this.send('call.logout', {}).catch(() => {});
    this.unlisten();
    if (this.ownsSocket) this.socket.close();
    this.ready = false;
    this.fail('logged out');
    this.login = undefined;
  }

  /** A request; while the socket is being reconnected it waits for the session to be back. */
  request<T extends CallRequest['type']>(type: T, fields: RequestFields<T>): Promise<CallResults[T]> {
    if (this.ready) return this.send(type, fields);
    if (this.login && !this.stopped)
      return new Promise((resolve, reject) =>
        this.waiting.push({ type, fields, resolve: resolve as (v: unknown) => void, reject }),
      );
    return Promise.reject(new CallingError(TRTC_CALLING_ERROR.NO_NETWORK, 'not connected to the server'));
  }

  private send<T extends CallRequest['type']>(type: T, fields: object): Promise<CallResults[T]> {
    return this.socket.request(type, fields as RequestFields<T>).catch((err: unknown) => {
      throw callingError(err);
    });
  }

  private signal(signal: CallSignal): void {
    this.events.signal(signal);
    // The server ended this session; a socket without a platform session is closed next (4004), a shared one
    // stays for its inbox: either way the session is over here, and a reconnect must not try to resume it.
    if (signal.event === 'onKickedOut') this.end('kicked');
  }

  /** Run by the socket after it reconnected: the same session back, or a fresh one if the server lost it. */
  private async resume(): Promise<void> {
    const credentials = this.credentials;
    const resume = this.login?.resumeToken;
    if (!credentials || !resume || this.stopped) return;
    let login: CallLoginResult;
    try {
      login = await this.send('call.login', { ...credentials, resume });
    } catch (err) {
      if (this.stopped || !this.login) return;
      if (err instanceof CallingError && err.code === Errors.CALL_SESSION_KICKED.code)
        return this.end('replaced');
      // A refused login (an expired userSig…) will not get better by retrying; a dropped socket tries again.
      if (err instanceof CallingError && err.code !== TRTC_CALLING_ERROR.NO_NETWORK) this.end('gone');
      return;
    }
    if (this.stopped || !this.login) return;
    this.login = login;
    this.ready = true;
    this.events.reconnected(login.resumed);
    // What waited for the session: sent now if it is the same one, else it has nothing to act on.
    for (const w of this.waiting.splice(0)) {
      if (login.resumed) this.send(w.type, w.fields).then(w.resolve, w.reject);
      else w.reject(new CallingError(TRTC_CALLING_ERROR.NO_NETWORK, 'the session was lost'));
    }
  }

  private end(reason: 'kicked' | 'replaced' | 'gone'): void {
    if (!this.login) return;
    this.login = undefined;
    this.ready = false;
    this.stopped = true;
    this.unlisten();
    if (this.ownsSocket) this.socket.close();
    this.fail('the session is over');
    this.events.closed(reason);
  }

  private unlisten(): void {
    for (const off of this.detach.splice(0)) off();
  }

  private fail(why: string): void {
    for (const w of this.waiting.splice(0)) w.reject(new CallingError(TRTC_CALLING_ERROR.NO_NETWORK, why));
  }
}
