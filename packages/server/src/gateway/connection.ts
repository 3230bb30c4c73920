import type { ClientFrame, ServerFrame } from '@beckon/protocol';
import { WS_CLOSE } from '@beckon/protocol';
import WebSocket, { type RawData } from 'ws';
import type { Authenticated } from './handshake.js';

/** Close code of a server going away (RFC 6455 §7.4.1). */
export const CLOSE_GOING_AWAY = 1001;
/** Close code of a server fault (RFC 6455 §7.4.1). */
export const CLOSE_INTERNAL_ERROR = 1011;

/** A client frame, or why the bytes are not one. */
export function parseClientFrame(data: RawData, isBinary: boolean): ClientFrame | { problem: string } {
  if (isBinary) return { problem: 'frames are JSON text, not binary' };
  let frame: unknown;
  try {
    frame = JSON.parse(data.toString());
  } catch {
    return { problem: 'frame is not JSON' };
  }
  const type = (frame as { type?: unknown } | null)?.type;
  if (type === 'ping') return { type };
  return { problem: `unknown frame type: ${typeof type === 'string' ? type.slice(0, 64) : typeof type}` };
}

/**
 * One open WebSocket of a signed-in session: what it may be sent, and in which order. Frames pushed before
 * the hello are held back, so that a client always hears `hello` first.
 */
export class Connection {
  /** Cleared by each heartbeat, set by the pong that answers it. */
  alive = true;
  private greeted = false;
  private held: ServerFrame[] = [];
  readonly closed: Promise<void>;

  constructor(
    readonly socket: WebSocket,
    readonly auth: Authenticated,
  ) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('pong', () => {
      this.alive = true;
    });
  }

  get userId(): string {
    return this.auth.userId;
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
    this.send({ type: 'hello', userId: this.userId, unread });
    this.greeted = true;
    for (const frame of this.held.splice(0)) this.send(frame);
  }

  /** Answers one client frame; a bad one gets an error frame and closes the socket (4002). */
  receive(data: RawData, isBinary: boolean): void {
    const frame = parseClientFrame(data, isBinary);
    if ('problem' in frame) {
      this.send({ type: 'error', code: WS_CLOSE.BAD_FRAME, message: frame.problem });
      this.close(WS_CLOSE.BAD_FRAME, 'bad frame');
      return;
    }
    this.send({ type: 'pong' });
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
