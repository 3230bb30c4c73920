import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError, Errors, wechatError } from '@beckon/protocol';
import { resolveSession } from '../accounts/sessions.js';
import type { Context } from '../context.js';
import { newRequestId } from '../ids.js';

/** The path of the one WebSocket a session keeps open. */
export const GATEWAY_PATH = '/ws';

/**
 * Where an upgrade request carries its session token: `Authorization: Bearer <token>` (servers, tests,
 * native clients) or `?token=<token>` (browsers cannot set headers on a WebSocket). The header wins.
 */
export function upgradeToken(request: IncomingMessage, url: URL): string | undefined {
  const header = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  return header ?? (url.searchParams.get('token') || undefined);
}

/** The request's URL, or undefined when it cannot be parsed. */
export function upgradeUrl(request: IncomingMessage): URL | undefined {
  try {
    return new URL(request.url ?? '/', 'http://gateway.invalid');
  } catch {
    return undefined;
  }
}

export interface Authenticated {
  userId: string;
  /** Kept to ask the accounts module again later whether the session still stands. */
  token: string;
}

/** The session's user, through the accounts module; undefined when the token is missing, unknown or expired. */
export async function authenticate(
  ctx: Context,
  token: string | undefined,
): Promise<Authenticated | undefined> {
  if (!token) return undefined;
  try {
    const { user } = await resolveSession(ctx, token);
    return { userId: user.id, token };
  } catch (err) {
    if (err instanceof ApiError && err.code === Errors.SESSION_INVALID.code) return undefined;
    throw err;
  }
}

/** Whether the session behind a token still stands (not signed out, not expired). */
export async function sessionStands(ctx: Context, auth: Authenticated): Promise<boolean> {
  return (await authenticate(ctx, auth.token))?.userId === auth.userId;
}

/**
 * Refuses an upgrade with a plain HTTP response (the socket never becomes a WebSocket), its body the
 * client API's `{errcode, errmsg}`, then closes the connection.
 */
export function refuseUpgrade(socket: Duplex, status: 400 | 401 | 404 | 500 | 503): void {
  const def =
    status === 401
      ? Errors.SESSION_INVALID
      : status === 404
        ? Errors.NOT_FOUND
        : status === 400
          ? Errors.INVALID_REQUEST
          : Errors.SYSTEM_ERROR;
  const body = JSON.stringify(wechatError(def, newRequestId()));
  const headers = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(status === 401 ? ['WWW-Authenticate: Bearer'] : []),
  ];
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}
