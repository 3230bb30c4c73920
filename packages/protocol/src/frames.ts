/**
 * The frames of the one WebSocket a client keeps open at `/ws`: inbox push for a platform session, and call
 * signaling for a client logged in to calling with its userSig. Every frame is a JSON object with a `type`.
 */
import type { AcceptReceipt, CallCommand, CallSignal, IceServer, InviteReceipt } from './calls.js';
import type { InboxCard } from './messages.js';

/**
 * A request's id, chosen by the client and echoed in its `result`: a string of 1…64 characters or a safe
 * integer. Requests of one socket are handled in the order they were sent.
 */
export type RequestId = string | number;

/** `login({userID, userSig})` of TRTCCalling, over the socket. */
export interface CallLoginRequest {
  type: 'call.login';
  id: RequestId;
  sdkAppId: number;
  userId: string;
  userSig: string;
  /**
   * The `resumeToken` of an earlier login of the same user whose socket dropped: within the grace period the
   * session (and its call) carries on, and the signals it missed are delivered after the result.
   */
  resume?: string;
}

/** Every request a client sends: calling's login and logout, then the commands of a logged-in session. */
export type CallRequest =
  | CallLoginRequest
  | { type: 'call.logout'; id: RequestId }
  | ({ id: RequestId } & CallCommand);

export type CallRequestType = CallRequest['type'];

/** Client → server. */
export type ClientFrame = { type: 'ping' } | CallRequest;

/** What `call.login` answers. */
export interface CallLoginResult {
  /** The session this socket now holds (the resumed one when `resumed`). */
  sessionId: string;
  /** Present on `call.login` with `resume` to take this session back after a drop; keep it secret. */
  resumeToken: string;
  resumed: boolean;
  /** ms since epoch: the userSig's expiry, when the session is kicked out with `userSigExpired`. */
  userSigExpiresAt: number;
  /** STUN/TURN servers for this user's peer connections (TURN credentials minted for them). */
  iceServers: IceServer[];
  /** Invitations still ringing for the user, delivered as INVITED right after this result. */
  ringing: number;
}

/** What each request answers with (`data` of a successful result). */
export interface CallResults {
  'call.login': CallLoginResult;
  'call.logout': null;
  'call.invite': InviteReceipt;
  'call.accept': AcceptReceipt;
  'call.reject': null;
  'call.cancel': null;
  'call.hangup': null;
  'call.media': null;
  'call.relay': null;
}

/** The answer to one request: `code` 0 with `data`, or an error code of the registry with its message. */
export type ResultFrame =
  | { type: 'result'; id: RequestId; code: 0; data: unknown }
  | { type: 'result'; id: RequestId; code: number; message: string };

/** Server → client. */
export type ServerFrame =
  | { type: 'hello'; userId: string; unread: number }
  | { type: 'inbox.card'; card: InboxCard }
  | { type: 'inbox.unread'; unread: number }
  | { type: 'pong' }
  | ResultFrame
  /** A calling event for the logged-in session (TRTCCalling's events, spec calling.md §1.5). */
  | { type: 'call.signal'; signal: CallSignal }
  | { type: 'error'; code: number; message: string };

/** Close codes the server uses (4000–4999 are the application's). */
export const WS_CLOSE = {
  /** No, unknown or expired session token; or a socket without one that did not log in to calling in time. */
  UNAUTHORIZED: 4001,
  /** A frame that is not JSON or not a known type. */
  BAD_FRAME: 4002,
  /** The session signed out. */
  SIGNED_OUT: 4003,
  /** The calling session was kicked out (after its `onKickedOut` signal): another login, or userSig expiry. */
  KICKED: 4004,
} as const;
