import type { CallSignal } from '@beckon/protocol/calls';
import { TRTC_CALLING_ERROR } from '@beckon/protocol/calls';
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
  /** The session is over for good (kicked, or the reconnects gave up). */
  closed(reason: 'kicked' | 'gone'): void;
}

/** Backoff between reconnects: 0.5 s doubling to 5 s, with jitter; given up after this many tries. */
const RECONNECT_BASE_MS = 500;
const RECONNECT_MAX_MS = 5_000;
const RECONNECT_TRIES = 8;

/**
 * The socket to Beckon's `/ws` (docs/calling.md): requests with ids answered by results, signals pushed.
 * After a drop it reconnects with backoff and resumes the session with its resumeToken, so a call survives
 * a network blip; requests made while it is down fail with 2805 (no network).
 */
export class Signaling {
  private ws: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private credentials: Credentials | undefined;
  private login: CallLoginResult | undefined;
  private stopped = false;
  private reconnecting = false;

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
    this.login = await this.request('call.login', {
      sdkAppId: credentials.sdkAppId,
      userId: credentials.userId,
      userSig: credentials.userSig,
    });
    return this.login;
  }

  /** Logs out and closes for good. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.ws?.readyState === WebSocket.OPEN) await this.request('call.logout', {}).catch(() => {});
    this.ws?.close(1000);
    this.ws = undefined;
    this.login = undefined;
  }

  request<T extends CallRequest['type']>(type: T, fields: Fields<T>): Promise<CallResults[T]> {
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
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new CallingError(TRTC_CALLING_ERROR.NO_NETWORK, `cannot reach ${this.url}`));
      ws.onmessage = (e) => this.receive(JSON.parse(String(e.data)) as ServerFrame);
      ws.onclose = (e) => this.dropped(ws, e.code);
    });
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
    for (const p of this.pending.values())
      p.reject(new CallingError(TRTC_CALLING_ERROR.NO_NETWORK, 'the connection to the server dropped'));
    this.pending.clear();
    this.ws = undefined;
    if (this.stopped || !this.login || this.reconnecting) return;
    if (code === WS_CLOSE.KICKED) {
      this.login = undefined;
      this.events.closed('kicked');
      return;
    }
    void this.reconnect();
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
        const login = await this.request('call.login', { ...credentials, resume });
        this.login = login;
        this.events.reconnected(login.resumed);
        return;
      } catch (err) {
        // A refused login (an expired userSig…) will not get better by retrying.
        if (err instanceof CallingError && err.code !== TRTC_CALLING_ERROR.NO_NETWORK) break;
      }
    }
    if (this.stopped) return;
    this.login = undefined;
    this.events.closed('gone');
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
