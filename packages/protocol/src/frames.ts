/**
 * The frames of the one WebSocket a session keeps open at `/ws` (inbox push now; call signaling later).
 * Every frame is a JSON object with a `type`.
 */
import type { InboxCard } from './messages.js';

/** Server → client. */
export type ServerFrame =
  | { type: 'hello'; userId: string; unread: number }
  | { type: 'inbox.card'; card: InboxCard }
  | { type: 'inbox.unread'; unread: number }
  | { type: 'pong' }
  | { type: 'error'; code: number; message: string };

/** Client → server. */
export type ClientFrame = { type: 'ping' };

/** Close codes the server uses (4000–4999 are the application's). */
export const WS_CLOSE = {
  /** No, unknown or expired session token. */
  UNAUTHORIZED: 4001,
  /** A frame that is not JSON or not a known type. */
  BAD_FRAME: 4002,
  /** The session signed out. */
  SIGNED_OUT: 4003,
} as const;
