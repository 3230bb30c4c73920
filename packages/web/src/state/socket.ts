import { BeckonSocket } from '@beckon/client/socket';
import { http } from './http.js';

/** The session's one `/ws` socket: the inbox's live cards now, calling later. */
let socket: BeckonSocket | null = null;
let retry: ReturnType<typeof setTimeout> | undefined;

/**
 * Opens the signed-in session's socket. A first connection that fails (offline) is tried again every few
 * seconds; once open, the socket reconnects by itself. A session the server refuses signs the phone out.
 */
export function openSocket(): BeckonSocket {
  closeSocket();
  const current = new BeckonSocket({ token: http.token });
  socket = current;
  current.onStatus((status) => {
    if (status === 'closed' && current.closeReason === 'session-over') http.onSessionEnded();
  });
  const attempt = (delay: number) => {
    current.open().catch(() => {
      if (socket !== current || current.closeReason === 'session-over') return;
      retry = setTimeout(() => attempt(Math.min(delay * 2, 10_000)), delay);
    });
  };
  attempt(1_000);
  return current;
}

export function closeSocket(): void {
  clearTimeout(retry);
  socket?.close();
  socket = null;
}
