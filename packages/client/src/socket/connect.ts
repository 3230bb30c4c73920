/**
 * Reaching the server: the `/ws` URL, one connection attempt, and whether a failed attempt means the
 * platform session is over. What the reconnecting socket (socket.ts) is built on.
 */
import { PlatformHttp } from '../platform/http.js';

/** What a socket failure carries as its code when no answer came (dropped, never connected). */
export const SOCKET_NETWORK_ERROR = -1;

/** A request the socket could not carry (`code` -1, `network`) or the server's refusal (its registry code). */
export class SocketError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'SocketError';
  }

  get network(): boolean {
    return this.code === SOCKET_NETWORK_ERROR;
  }
}

/**
 * The `/ws` URL of a Beckon server URL (http → ws, https → wss), or of the page's origin; `?token=` if given.
 * @example new WebSocket(socketUrl('https://beckon.example', token)); // wss://beckon.example/ws?token=…
 */
export function socketUrl(server: string | undefined, token?: string | null): string {
  const base = server ?? globalThis.location?.origin;
  if (!base) throw new TypeError('the Beckon server URL is needed outside a page: pass `server`');
  const url = new URL('/ws', base);
  url.protocol = url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss:' : 'ws:';
  // Browsers cannot set headers on a WebSocket: the gateway takes the token from the query (handshake.ts).
  if (token) url.searchParams.set('token', token);
  return url.toString();
}

/** One connection attempt under way. */
export interface Dial {
  /** Resolves once the socket is open (after `wire` ran); rejects with a SocketError (-1). */
  opened: Promise<void>;
  /** Gives the attempt up (a no-op once it settled). */
  abort(why: string): void;
}

/**
 * Opens a WebSocket; `wire` installs the caller's handlers the moment it opens (before any frame can
 * arrive). An attempt that has not opened within `timeoutMs` (a connection that carries nothing) fails.
 */
export function dial(url: string, timeoutMs: number, wire: (ws: WebSocket) => void): Dial {
  const ws = new WebSocket(url);
  let settled = false;
  let abort: (why: string) => void = () => {};
  const opened = new Promise<void>((resolve, reject) => {
    const failed = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      ws.onopen = null;
      ws.onclose = null;
      // Not null: `ws` (Node) emits an error when a handshake under way is aborted.
      ws.onerror = () => {};
      ws.close();
      reject(new SocketError(SOCKET_NETWORK_ERROR, why));
    };
    abort = failed;
    const timeout = setTimeout(() => failed(`no answer from ${url}`), timeoutMs);
    ws.onerror = () => failed(`cannot reach ${url}`);
    ws.onclose = () => failed(`cannot reach ${url}`);
    ws.onopen = () => {
      settled = true;
      clearTimeout(timeout);
      ws.onerror = () => {};
      ws.onclose = null;
      wire(ws);
      resolve();
    };
  });
  return { opened, abort: (why) => abort(why) };
}

/**
 * Whether a failed attempt of a socket with a session token means the server refuses the session (HTTP 401
 * at the upgrade). A browser does not show a failed upgrade's status, so the session is asked about over HTTP:
 * only a 401 says so; no answer at all is the network's failure.
 */
export async function sessionRefused(server: string | undefined, token: string | null): Promise<boolean> {
  if (!token) return false;
  try {
    await new PlatformHttp({ server: httpOrigin(server), token }).request('GET', '/api/me');
    return false;
  } catch (err) {
    return (err as { status?: number }).status === 401;
  }
}

/** The HTTP origin of a server URL that may be given as ws(s); undefined stays (the page's origin). */
function httpOrigin(server: string | undefined): string | undefined {
  if (!server) return undefined;
  const url = new URL(server);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  if (url.protocol === 'wss:') url.protocol = 'https:';
  return url.origin;
}
