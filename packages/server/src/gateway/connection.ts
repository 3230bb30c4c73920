import type { CallRequest, ServerFrame } from '@beckon/protocol';
import { Errors, WS_CLOSE } from '@beckon/protocol';
import WebSocket, { type RawData } from 'ws';
import { parseClientFrame } from './client-frames.js';
import type { Authenticated } from './handshake.js';

/** Close code of a server going away (RFC 6455 §7.4.1). */
export const CLOSE_GOING_AWAY = 1001;
/** Close code of a server fault (RFC 6455 §7.4.1). */
export const CLOSE_INTERNAL_ERROR = 1011;

/** Handles one request of the socket; its answer is sent by the handler (a login's result precedes signals). */
export type RequestHandler = (connection: Connection, request: CallRequest) => Promise<void>;

/**
 * One open WebSocket: a platform session's (`auth`, inbox push) or a calling client's that has not shown a
 * session token and logs in with its userSig. Frames pushed before the hello are held back, so that a
 * platform client always hears `hello` first. Requests are handled one at a time, in the order they came:
 * an ICE candidate must never overtake the offer it belongs to.
 */
export class Connection {
  /** Cleared by each heartbeat, set by the pong that answers it. */
  alive = true;
  /** The calling session this socket holds, once logged in (gateway/calling.ts). */
  callSession: string | undefined;
  private greeted: boolean;
  private held: ServerFrame[] = [];
  private queue: Promise<void> = Promise.resolve();
  readonly closed: Promise<void>;

  constructor(
    readonly socket: WebSocket,
    readonly auth: Authenticated | undefined,
    private readonly onRequest: RequestHandler,
  ) {
    this.greeted = auth === undefined;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('pong', () => {
      this.alive = true;
    });
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(frame: ServerFrame): void {
    if (this.open) this.socket.send(JSON.stringify(frame));
  }

  /** A frame from the user's Bus channel. */
  deliver(frame: ServerFrame): void {
    if (this.greeted) this.send(frame);
    else this.held.push(frame);
  }

  hello(unread: number): void {
    if (!this.auth) return;
    this.send({ type: 'hello', userId: this.auth.userId, unread });
    this.greeted = true;
    for (const frame of this.held.splice(0)) this.send(frame);
  }

  /**
   * One client frame. Bytes that are not a frame get an error frame and close the socket (4002); a request
   * with bad fields is answered 6017 and the socket stays.
   */
  receive(data: RawData, isBinary: boolean): void {
    const frame = parseClientFrame(data, isBinary);
    if ('problem' in frame) {
      this.send({ type: 'error', code: WS_CLOSE.BAD_FRAME, message: frame.problem });
      this.close(WS_CLOSE.BAD_FRAME, 'bad frame');
      return;
    }
    if ('invalid' in frame) {
      const { code, message } = Errors.SIGNALING_INVALID_PARAMETERS;
      this.send({ type: 'result', id: frame.id, code, message: `${message}: ${frame.invalid}` });
      return;
    }
    if (frame.type === 'ping') {
      this.send({ type: 'pong' });
      return;
    }
    this.queue = this.queue.then(() => this.onRequest(this, frame));
  }

  /** One heartbeat: a socket that did not answer the previous ping is gone; the others are pinged. */
  heartbeat(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    if (this.open) this.socket.ping();
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.CONNECTING || this.open) this.socket.close(code, reason);
  }
}
