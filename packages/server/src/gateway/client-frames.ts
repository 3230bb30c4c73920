import type { CallRequest, ClientFrame, RequestId } from '@beckon/protocol';
import type { RawData } from 'ws';

/** Why the bytes are not a frame at all: the socket is closed (4002). */
export interface BadFrame {
  problem: string;
}

/** A request whose envelope (`type`, `id`) is sound but whose fields are not: answered with 6017. */
export interface BadRequest {
  id: RequestId;
  invalid: string;
}

const isRequestId = (id: unknown): id is RequestId =>
  (typeof id === 'string' && id.length >= 1 && id.length <= 64) || Number.isSafeInteger(id);

const text = (v: unknown, max = 128) => typeof v === 'string' && v.length >= 1 && v.length <= max;

/** accept, reject and cancel name one invitation. */
const namesInvitation = (f: Record<string, unknown>) =>
  text(f.inviteID) ? undefined : 'inviteID must be a string';

/** Each request type, and what its fields must be (the domain checks the rest: userIDs, call types…). */
const FIELD_RULES: Record<CallRequest['type'], (f: Record<string, unknown>) => string | undefined> = {
  'call.login': (f) =>
    !Number.isSafeInteger(f.sdkAppId)
      ? 'sdkAppId must be a number'
      : typeof f.userId !== 'string'
        ? 'userId must be a string'
        : !text(f.userSig, 4096)
          ? 'userSig must be a non-empty string'
          : f.resume !== undefined && !text(f.resume)
            ? 'resume must be a resumeToken'
            : undefined,
  'call.logout': () => undefined,
  'call.invite': (f) => (f.invite && typeof f.invite === 'object' ? undefined : 'invite must be an object'),
  'call.accept': namesInvitation,
  'call.reject': namesInvitation,
  'call.cancel': namesInvitation,
  'call.hangup': (f) => (f.callId === undefined || text(f.callId) ? undefined : 'callId must be a string'),
  'call.media': (f) =>
    !text(f.callId)
      ? 'callId must be a string'
      : (f.video !== undefined && typeof f.video !== 'boolean') ||
          (f.audio !== undefined && typeof f.audio !== 'boolean')
        ? 'video and audio must be booleans'
        : f.video === undefined && f.audio === undefined
          ? 'name video or audio'
          : undefined,
  'call.relay': (f) =>
    !text(f.callId)
      ? 'callId must be a string'
      : typeof f.toUserID !== 'string'
        ? 'toUserID must be a string'
        : f.data === undefined
          ? 'data is missing'
          : undefined,
};

/**
 * A client frame, a request with bad fields (answered, the socket stays), or why the bytes are not a frame
 * (the socket is closed). A request without a usable `id` cannot be answered, so it is a bad frame.
 */
export function parseClientFrame(data: RawData, isBinary: boolean): ClientFrame | BadRequest | BadFrame {
  if (isBinary) return { problem: 'frames are JSON text, not binary' };
  let frame: unknown;
  try {
    frame = JSON.parse(data.toString());
  } catch {
    return { problem: 'frame is not JSON' };
  }
  if (frame === null || typeof frame !== 'object' || Array.isArray(frame))
    return { problem: 'frame is not a JSON object' };
  const f = frame as Record<string, unknown>;
  const type = f.type;
  if (type === 'ping') return { type };
  const rule = typeof type === 'string' ? FIELD_RULES[type as CallRequest['type']] : undefined;
  if (!rule || !Object.hasOwn(FIELD_RULES, type as string))
    return { problem: `unknown frame type: ${typeof type === 'string' ? type.slice(0, 64) : typeof type}` };
  if (!isRequestId(f.id))
    return { problem: `${type} needs an id: a string of 1 to 64 characters or an integer` };
  const invalid = rule(f);
  if (invalid) return { id: f.id, invalid };
  return f as unknown as CallRequest;
}
