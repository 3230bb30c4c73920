/**
 * The one WebSocket a page keeps open to Beckon's `/ws` (docs/calling.md, protocol/frames.ts), shared by
 * the layers above it: the inbox (`@beckon/client/inbox`) and calling (`CallSession`). Transport only:
 * requests with ids answered by `result` frames, typed listeners for pushed frames, keepalive, reconnects.
 */
import type { CallRequest, CallResults, ServerFrame } from '@beckon/protocol/frames';
import { WS_CLOSE } from '@beckon/protocol/frames';
import { type Dial, dial, SOCKET_NETWORK_ERROR, SocketError, sessionRefused, socketUrl } from './connect.js';

/**
 * `idle` (never opened, or the first open failed), `connecting` (the first open), `open`, `reconnecting`
 * (dropped; trying again, and re-establishing the layers' state), `closed` (for good: see `closeReason`).
 */
export type SocketStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * Why a socket closed for good: `closed` by the page, `session-over` (the platform session was refused at
 * the upgrade — HTTP 401 — or the server closed it with 4001/4003: signed out or expired), `kicked` (4004:
 * the calling session was kicked out and the socket had no platform session), `gone` (the reconnects gave up).
 */
export type SocketCloseReason = 'closed' | 'session-over' | 'kicked' | 'gone';

/** The type of a frame the server pushes (every ServerFrame but `result`, which answers a request). */
export type PushedFrameType = Exclude<ServerFrame['type'], 'result'>;
export type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;
export type SocketRequestType = CallRequest['type'];
export type RequestFields<T extends SocketRequestType> = Omit<
  Extract<CallRequest, { type: T }>,
  'id' | 'type'
>;

export interface BeckonSocketOptions {
  /** The Beckon server's URL (http(s), or ws(s)); the page's origin by default. */
  server?: string;
  /** The platform session's token (`POST /api/sessions`): the socket then carries that user's inbox. */
  token?: string | null;
  /** Reconnect attempts after a drop before the socket gives up (`gone`); default: no limit. */
  retries?: number;
}

/** Backoff between reconnects: 0.5 s doubling to 5 s, with jitter. */
const RECONNECT_BASE_MS = 500;
const RECONNECT_MAX_MS = 5_000;
/**
 * A socket that heard nothing (not even the pong of the ping sent every PING_MS) for this long is dead
 * without having closed (sleep, a network change, a NAT timeout): it is dropped and the reconnect starts.
 * A connection attempt that has not opened by then is given up the same way.
 */
const PING_MS = 5_000;
const SILENCE_MS = 12_000;

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/**
 * A reconnecting socket to Beckon's `/ws`. Opened with a platform session's token it carries that user's
 * inbox frames (`hello`, `inbox.card`, `inbox.unread`); with or without one, it can log in to calling
 * (`CallSession`, or `new TRTCCalling({ socket })`). After a drop it reconnects with backoff, then runs each
 * layer's `onReconnect` hook so that layer re-establishes its state (calling resumes its session, the inbox
 * fetches what it missed). A refused or signed-out session ends it (`session-over`): no reconnect can help.
 *
 * @example
 * const socket = new BeckonSocket({ token });
 * socket.on('inbox.unread', ({ unread }) => console.log(unread));
 * socket.onStatus((status) => console.log(status, socket.closeReason));
 * await socket.open();
 */
export class BeckonSocket {
  private readonly url: string;
  private readonly server: string | undefined;
  private readonly token: string | null;
  private readonly retries: number;
  private ws: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(frame: never) => void>>();
  private readonly statusListeners = new Set<(status: SocketStatus) => void>();
  private readonly hooks = new Set<() => unknown>();
  private current: SocketStatus = 'idle';
  private reason: SocketCloseReason | undefined;
  private opening: Promise<void> | undefined;
  /** Bumped by each close for good: what an older open or reconnect loop was doing is then void. */
  private generation = 0;
  /** The generation whose reconnect loop is running, if one is. */
  private looping: number | undefined;
  /** The connection attempt under way. */
  private attempt: Dial | undefined;
  /** Wakes the reconnect loop waiting for the layers' hooks when the socket drops meanwhile. */
  private wake: (() => void) | undefined;
  private lastHeard = 0;
  private keepalive: ReturnType<typeof setInterval> | undefined;

  constructor(options: BeckonSocketOptions = {}) {
    this.server = options.server;
    this.token = options.token ?? null;
    this.url = socketUrl(options.server, this.token);
    this.retries = options.retries ?? Number.POSITIVE_INFINITY;
  }

  get status(): SocketStatus {
    return this.current;
  }

  /** Why the socket closed for good; undefined until it has. */
  get closeReason(): SocketCloseReason | undefined {
    return this.reason;
  }

  /**
   * Connects (one try: rejects with a SocketError if the server cannot be reached, or with code 4001 if it
   * refuses the session). Resolves at once when open; while reconnecting, when the reconnect succeeds.
   * @example await socket.open();
   */
  open(): Promise<void> {
    if (this.current === 'open') return Promise.resolve();
    if (this.current === 'reconnecting') return this.untilSettled();
    if (this.opening) return this.opening;
    const generation = this.generation;
    const closed = () => new SocketError(SOCKET_NETWORK_ERROR, 'the socket was closed');
    this.reason = undefined;
    this.setStatus('connecting');
    this.opening = this.connect()
      .then(
        () => {
          if (generation !== this.generation) throw closed();
          // Dropped again at once: the reconnect under way settles it.
          if (this.current === 'reconnecting') return this.untilSettled();
          this.setStatus('open');
        },
        async (err: SocketError) => {
          if (generation !== this.generation) throw closed();
          if (await this.sessionOver()) {
            if (generation === this.generation) this.end('session-over');
            throw new SocketError(WS_CLOSE.UNAUTHORIZED, 'the session is over: sign in again');
          }
          if (generation !== this.generation) throw closed();
          this.setStatus('idle');
          throw err;
        },
      )
      .finally(() => {
        this.opening = undefined;
      });
    return this.opening;
  }

  /** Closes for good (`closed`); requests in flight reject. `open()` opens it again. */
  close(): void {
    if (this.current !== 'closed') this.end('closed');
  }

  /**
   * One request, answered by the server's `result` with the same id; rejects with a SocketError carrying
   * the server's code, or -1 when the socket is not open or drops before the answer.
   * @example const login = await socket.request('call.login', { sdkAppId, userId, userSig });
   */
  request<T extends SocketRequestType>(type: T, fields: RequestFields<T>): Promise<CallResults[T]> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN)
      return Promise.reject(new SocketError(SOCKET_NETWORK_ERROR, 'not connected to the server'));
    const id = this.nextId++;
    ws.send(JSON.stringify({ type, id, ...fields }));
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    });
  }

  /**
   * Listens to one type of pushed frame; returns the function that stops listening.
   * @example const off = socket.on('inbox.card', ({ card }) => show(card));
   */
  on<T extends PushedFrameType>(type: T, listener: (frame: FrameOf<T>) => void): () => void {
    const set = this.listeners.get(type) ?? new Set();
    this.listeners.set(type, set);
    const entry = listener as (frame: never) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  /**
   * Hears every status change (read `closeReason` once it is `closed`); returns the function that stops.
   * @example socket.onStatus((s) => (banner.hidden = s === 'open'));
   */
  onStatus(listener: (status: SocketStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => {
      this.statusListeners.delete(listener);
    };
  }

  /**
   * A layer's hook, run after each reconnect (not the first open) while the status is still
   * `reconnecting`: the socket is open again and the hook re-establishes what the layer had (it may make
   * requests). Hooks run together; the status turns `open` once all have settled.
   * @example socket.onReconnect(() => inbox.refresh());
   */
  onReconnect(hook: () => unknown): () => void {
    this.hooks.add(hook);
    return () => {
      this.hooks.delete(hook);
    };
  }

  // ---------------------------------------------------------------------------------------------------

  private setStatus(status: SocketStatus): void {
    if (this.current === status) return;
    this.current = status;
    for (const listener of [...this.statusListeners]) {
      try {
        listener(status);
      } catch (err) {
        console.error('BeckonSocket: a status listener threw', err);
      }
    }
  }

  /** Resolves when the status turns `open`, rejects when it turns `closed`. */
  private untilSettled(): Promise<void> {
    return new Promise((resolve, reject) => {
      const off = this.onStatus((status) => {
        if (status === 'open') resolve();
        else if (status === 'closed')
          reject(new SocketError(SOCKET_NETWORK_ERROR, `the socket closed: ${this.reason}`));
        else return;
        off();
      });
    });
  }

  /** One connection attempt: resolves when the socket is open and wired to this socket. */
  private async connect(): Promise<void> {
    const attempt = dial(this.url, SILENCE_MS, (ws) => {
      this.ws = ws;
      this.lastHeard = Date.now();
      ws.onclose = (e) => this.dropped(ws, e.code);
      ws.onmessage = (e) => {
        this.lastHeard = Date.now();
        this.receive(JSON.parse(String(e.data)) as ServerFrame);
      };
      this.keepalive ??= setInterval(() => this.ping(), PING_MS);
      (this.keepalive as { unref?: () => void }).unref?.();
    });
    this.attempt = attempt;
    try {
      await attempt.opened;
    } finally {
      if (this.attempt === attempt) this.attempt = undefined;
    }
  }

  private sessionOver(): Promise<boolean> {
    return sessionRefused(this.server, this.token);
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
      else p?.reject(new SocketError(frame.code, frame.message));
      return;
    }
    for (const listener of [...(this.listeners.get(frame.type) ?? [])]) {
      try {
        (listener as (frame: ServerFrame) => void)(frame);
      } catch (err) {
        console.error(`BeckonSocket: a ${frame.type} listener threw`, err);
      }
    }
  }

  private dropped(ws: WebSocket, code: number): void {
    if (ws !== this.ws) return;
    this.ws = undefined;
    this.rejectPending('the connection to the server dropped');
    clearInterval(this.keepalive);
    this.keepalive = undefined;
    if (code === WS_CLOSE.KICKED) this.end('kicked');
    else if (code === WS_CLOSE.UNAUTHORIZED || code === WS_CLOSE.SIGNED_OUT) this.end('session-over');
    // The loop under way tries again.
    else if (this.looping === this.generation) this.wake?.();
    else {
      this.setStatus('reconnecting');
      void this.reconnect();
    }
  }

  private async reconnect(): Promise<void> {
    const generation = this.generation;
    const over = () => generation !== this.generation;
    this.looping = generation;
    try {
      for (let attempt = 0; attempt < this.retries; attempt++) {
        const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** attempt);
        await new Promise((r) => setTimeout(r, delay * (0.75 + Math.random() * 0.5)));
        if (over()) return;
        // A hook that never settles must not hold the loop once the socket has dropped again.
        const down = new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        try {
          await this.connect();
        } catch {
          if (over()) return;
          if (await this.sessionOver()) return over() ? undefined : this.end('session-over');
          continue;
        }
        const ws = this.ws;
        await Promise.race([Promise.allSettled([...this.hooks].map(async (hook) => hook())), down]);
        this.wake = undefined;
        if (over()) return;
        // Dropped again while the layers re-established themselves: that counts as a failed attempt.
        if (ws && ws === this.ws && ws.readyState === WebSocket.OPEN) return this.setStatus('open');
      }
      if (!over()) this.end('gone');
    } finally {
      if (this.looping === generation) this.looping = undefined;
    }
  }

  private end(reason: SocketCloseReason): void {
    this.generation++;
    this.reason = reason;
    this.attempt?.abort('the socket was closed');
    this.wake?.();
    this.rejectPending('the connection was closed');
    clearInterval(this.keepalive);
    this.keepalive = undefined;
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.onclose = null;
      ws.onerror = () => {};
      ws.close(1000);
    }
    this.setStatus('closed');
  }

  private rejectPending(why: string): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new SocketError(SOCKET_NETWORK_ERROR, why));
  }
}
