import type { CallSignal } from '@beckon/protocol/calls';
import { TRTC_CALLING_ERROR } from '@beckon/protocol/calls';
import { Errors } from '@beckon/protocol/errors';
import type { CallLoginResult, CallRequest, CallResults, ServerFrame } from '@beckon/protocol/frames';
import { WS_CLOSE } from '@beckon/protocol/frames';
import { CallingError } from './errors.js';

type Fields<T extends CallRequest['type']> = Omit<Extract<CallRequest, { type: T }>, 'id' | 'type'>;

export interface Credentials {
  sdkAppId: number;
  userId: string;
  userSig: string;
}

export interface SignalingEvents {
  signal(signal: CallSignal): void;
  /** The socket dropped and came back: `resumed` false means the server no longer held the session. */
  reconnected(resumed: boolean): void;
  /**
   * The session is over for good: `kicked` (its socket was closed after KICKED_OUT), `replaced` (a later
   * login kicked it while its socket was down), `gone` (the reconnects gave up).
   */
  closed(reason: 'kicked' | 'replaced' | 'gone'): void;
}

/** Backoff between reconnects: 0.5 s doubling to 5 s, with jitter; given up after this many tries. */
const RECONNECT_BASE_MS = 500;
const RECONNECT_MAX_MS = 5_000;
const RECONNECT_TRIES = 8;
/**
 * A socket that heard nothing (not even the pong of the ping sent every PING_MS) for this long is dead
 * without having closed (sleep, a network change, a NAT timeout): it is dropped and the reconnect starts.
 */
const PING_MS = 5_000;
const SILENCE_MS = 12_000;

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/**
 * The socket to Beckon's `/ws` (docs/calling.md): requests with ids answered by results, signals pushed.
 * After a drop it reconnects with backoff and resumes the session with its resumeToken, so a call survives
 * a network blip; requests made meanwhile wait for the resume (and fail with 2805 if it does not come).
 */
export class Signaling {
  private ws: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Requests made while reconnecting, sent once the session is back. */
  private readonly waiting: { type: string; fields: object; settle: Pending }[] = [];
  private credentials: Credentials | undefined;
  private login: CallLoginResult | undefined;
  private stopped = false;
  private reconnecting = false;
  /** Logged in on the current socket: requests go out at once. */
  private ready = false;
  private lastHeard = 0;
  private keepalive: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly url: string,
    private readonly events: SignalingEvents,
  ) {}

  get session(): CallLoginResult | undefined {
    return this.login;
  }

  /** Opens the socket and logs in; rejects with the server's code (70001 expired sig…). */
  async open(credentials: Credentials): Promise<CallLoginResult> {
    this.stopped = false;
    this.credentials = credentials;
    await this.connect();
    this.login = await this.send('call.login', { ...credentials });
    this.ready = true;
    return this.login;
  }

  /** Logs out and closes for good. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.ready) await this.send('call.logout', {}).catch(() => {});
    this.shut();
    this.fail(
      this.waiting.splice(0).map((w) => w.settle),
      'logged out',
    );
    this.login = undefined;
  }

  /** A request; while the socket is being reconnected it waits for the session to be back. */
  request<T extends CallRequest['type']>(type: T, fields: Fields<T>): Promise<CallResults[T]> {
    if (this.ready) return this.send(type, fields);
    if (this.reconnecting)
      return new Promise((resolve, reject) =>
        this.waiting.push({ type, fields, settle: { resolve: resolve as (v: unknown) => void, reject } }),
      );
    return Promise.reject(new CallingError(TRTC_CALLING_ERROR.NO_NETWORK, 'not connected to the server'));
  }

  private send<T extends CallRequest['type']>(type: T, fields: object): Promise<CallResults[T]> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN)
      return Promise.reject(new CallingError(TRTC_CALLING_ERROR.NO_NETWORK, 'not connected to the server'));
    const id = this.nextId++;
    ws.send(JSON.stringify({ type, id, ...fields }));
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    });
  }

  private connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      this.ws = ws;
      ws.onopen = () => {
        this.lastHeard = Date.now();
        resolve();
      };
      ws.onerror = () => reject(new CallingError(TRTC_CALLING_ERROR.NO_NETWORK, `cannot reach ${this.url}`));
      ws.onmessage = (e) => {
        this.lastHeard = Date.now();
        this.receive(JSON.parse(String(e.data)) as ServerFrame);
      };
      ws.onclose = (e) => this.dropped(ws, e.code);
      this.keepalive ??= setInterval(() => this.ping(), PING_MS);
      (this.keepalive as { unref?: () => void }).unref?.();
    });
  }

  /** Pings the server; a socket silent for SILENCE_MS is dead: dropped here, as if it had closed. */
  private ping(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastHeard > SILENCE_MS) {
      ws.onclose = null;
      ws.close();
      this.dropped(ws, 1006);
      return;
    }
    ws.send(JSON.stringify({ type: 'ping' }));
  }

  private receive(frame: ServerFrame): void {
    if (frame.type === 'result') {
      const p = this.pending.get(frame.id as number);
      this.pending.delete(frame.id as number);
      if ('data' in frame) p?.resolve(frame.data);
      else p?.reject(new CallingError(frame.code, frame.message));
    } else if (frame.type === 'call.signal') {
      this.events.signal(frame.signal);
    }
  }

  private dropped(ws: WebSocket, code: number): void {
    if (ws !== this.ws) return;
    this.fail([...this.pending.values()], 'the connection to the server dropped');
    this.pending.clear();
    this.ws = undefined;
    this.ready = false;
    if (this.stopped || !this.login || this.reconnecting) return;
    if (code === WS_CLOSE.KICKED) this.end('kicked');
    else void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    this.reconnecting = true;
    try {
      await this.retry();
    } finally {
      this.reconnecting = false;
    }
  }

  private async retry(): Promise<void> {
    const credentials = this.credentials;
    const resume = this.login?.resumeToken;
    for (let attempt = 0; attempt < RECONNECT_TRIES && !this.stopped && credentials; attempt++) {
      const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** attempt);
      await new Promise((r) => setTimeout(r, delay * (0.75 + Math.random() * 0.5)));
      if (this.stopped) return;
      try {
        await this.connect();
        const login = await this.send('call.login', { ...credentials, resume });
        this.login = login;
        this.ready = true;
        this.events.reconnected(login.resumed);
        // What waited for the session: sent now if it is the same one, else it has nothing to act on.
        for (const w of this.waiting.splice(0)) {
          if (login.resumed)
            this.send(w.type as CallRequest['type'], w.fields).then(w.settle.resolve, w.settle.reject);
          else w.settle.reject(new CallingError(TRTC_CALLING_ERROR.NO_NETWORK, 'the session was lost'));
        }
        return;
      } catch (err) {
        if (err instanceof CallingError && err.code === Errors.CALL_SESSION_KICKED.code)
          return this.end('replaced');
        // A refused login (an expired userSig…) will not get better by retrying.
        if (err instanceof CallingError && err.code !== TRTC_CALLING_ERROR.NO_NETWORK) break;
      }
    }
    if (!this.stopped) this.end('gone');
  }

  private end(reason: 'kicked' | 'replaced' | 'gone'): void {
    this.shut();
    this.login = undefined;
    this.fail(
      this.waiting.splice(0).map((w) => w.settle),
      'the session is over',
    );
    this.events.closed(reason);
  }

  private shut(): void {
    this.fail([...this.pending.values()], 'the connection was closed');
    this.pending.clear();
    clearInterval(this.keepalive);
    this.keepalive = undefined;
    this.ready = false;
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.onclose = null;
      ws.close(1000);
    }
  }

  private fail(requests: Pending[], why: string): void {
    for (const p of requests) p.reject(new CallingError(TRTC_CALLING_ERROR.NO_NETWORK, why));
  }
}

/** The `/ws` URL of a Beckon server URL (http → ws, https → wss), or of the page's origin. */
export function socketUrl(server: string | undefined): string {
  const base = server ?? globalThis.location?.origin;
  if (!base) throw new TypeError('new TRTCCalling({server}): the Beckon server URL is needed outside a page');
  const url = new URL('/ws', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
