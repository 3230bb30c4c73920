import type {
  CallLoginResult,
  CallRequest,
  CallResults,
  CallSignal,
  CallSignalName,
  ServerFrame,
} from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { issueUserSig } from '../../calls/credentials.js';
import type { TestServer } from '../../test-support/harness.js';
import { wsBase } from './client.js';

type RequestOf<T extends CallRequest['type']> = Omit<Extract<CallRequest, { type: T }>, 'id' | 'type'>;

/** A refused request: the result frame's code and message. */
export class CallRefused extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(`${code} ${message}`);
  }
}

/**
 * A calling client of `/ws` in Node, as a browser SDK speaks it: requests with ids answered by results, and
 * signals queued so a test can await them by event name.
 */
export class CallingClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(data: unknown): void; reject(err: Error): void }>();
  private readonly signals: CallSignal[] = [];
  private readonly waiters: { event: CallSignalName; take(s: CallSignal): void }[] = [];
  /** Every frame received, in order (results and signals alike). */
  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  login?: CallLoginResult;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.receive(JSON.parse(data.toString()) as ServerFrame));
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        for (const p of this.pending.values()) p.reject(new Error(`socket closed ${code}`));
        resolve({ code, reason: reason.toString() });
      }),
    );
  }

  /** Opens a socket without a session token. */
  static async connect(app: FastifyInstance): Promise<CallingClient> {
    const ws = new WebSocket(`${wsBase(app)}/ws`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new CallingClient(ws);
  }

  /** Connects and logs in. */
  static async online(
    app: FastifyInstance,
    sdkAppId: number,
    userId: string,
    userSig: string,
  ): Promise<CallingClient> {
    const client = await CallingClient.connect(app);
    await client.request('call.login', { sdkAppId, userId, userSig });
    return client;
  }

  /** Sends a request; resolves with its result's data, rejects with CallRefused. */
  request<T extends CallRequest['type']>(type: T, fields: RequestOf<T>): Promise<CallResults[T]> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ type, id, ...fields }));
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: (data) => {
          if (type === 'call.login') this.login = data as CallLoginResult;
          resolve(data as CallResults[T]);
        },
        reject,
      });
    });
  }

  /** The first queued (or next arriving) signal of this event; rejects after `ms`. */
  signal<E extends CallSignalName>(event: E, ms = 3000): Promise<Extract<CallSignal, { event: E }>> {
    const i = this.signals.findIndex((s) => s.event === event);
    if (i >= 0) return Promise.resolve(this.signals.splice(i, 1)[0] as Extract<CallSignal, { event: E }>);
    return new Promise((resolve, reject) => {
      const waiter = {
        event,
        take: (s: CallSignal) => {
          clearTimeout(timer);
          resolve(s as Extract<CallSignal, { event: E }>);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(
          new Error(`no ${event} within ${ms} ms; queued: ${this.signals.map((s) => s.event).join(', ')}`),
        );
      }, ms);
      this.waiters.push(waiter);
    });
  }

  /** Signals received and not taken yet. */
  queued(): CallSignalName[] {
    return this.signals.map((s) => s.event);
  }

  /** Closes the socket and waits for it to be gone. */
  async close(): Promise<void> {
    this.ws.close();
    await this.closed;
  }

  private receive(frame: ServerFrame): void {
    this.frames.push(frame);
    if (frame.type === 'result') {
      const p = this.pending.get(frame.id as number);
      this.pending.delete(frame.id as number);
      if ('data' in frame) p?.resolve(frame.data);
      else p?.reject(new CallRefused(frame.code, frame.message));
    } else if (frame.type === 'call.signal') {
      const signal = frame.signal;
      const w = this.waiters.findIndex((x) => x.event === signal.event);
      if (w >= 0) this.waiters.splice(w, 1)[0]?.take(signal);
      else this.signals.push(signal);
    }
  }
}

/**
 * One app's calling users on a listening test server: their userSigs (signed by the server), and sockets
 * logging in with them. `terminate()` (afterEach) cuts every socket it opened.
 */
export class CallingUsers {
  private readonly clients: CallingClient[] = [];

  constructor(
    private readonly server: TestServer,
    private readonly sdkAppId: number,
  ) {}

  async sig(userId: string, expire?: number): Promise<string> {
    return (await issueUserSig(this.server.ctx, { sdkAppId: this.sdkAppId, userId, expire })).userSig;
  }

  /** A socket without a session token, not logged in yet. */
  async connect(): Promise<CallingClient> {
    return this.track(await CallingClient.connect(this.server.app));
  }

  /** A socket logged in as the user (its userSig valid for `expire` seconds, default the server's). */
  async online(userId: string, expire?: number): Promise<CallingClient> {
    const userSig = await this.sig(userId, expire);
    return this.track(await CallingClient.online(this.server.app, this.sdkAppId, userId, userSig));
  }

  /** A new socket logging in as the user with a resumeToken: the socket and the login's result. */
  async resume(userId: string, resume: string) {
    const client = await this.connect();
    const userSig = await this.sig(userId);
    const login = await client.request('call.login', { sdkAppId: this.sdkAppId, userId, userSig, resume });
    return { client, login };
  }

  terminate(): void {
    for (const c of this.clients.splice(0)) c.ws.terminate();
  }

  private track(client: CallingClient): CallingClient {
    this.clients.push(client);
    return client;
  }
}
