import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WS_CLOSE } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer } from 'ws';
import type { Context } from '../context.js';
import { unreadCount } from '../messages/inbox.js';
import { CLOSE_GOING_AWAY, CLOSE_INTERNAL_ERROR, Connection } from './connection.js';
import {
  type Authenticated,
  authenticate,
  GATEWAY_PATH,
  refuseUpgrade,
  sessionStands,
  upgradeToken,
  upgradeUrl,
} from './handshake.js';
import { UserChannels } from './user-channels.js';

export interface GatewayOptions {
  /** Ping every socket this often; one that has not answered the previous ping is dropped. */
  heartbeatMs?: number;
  /** Largest client frame; a larger one closes the socket (1009). */
  maxPayload?: number;
  /** How long shutdown waits for clients to answer the close before cutting them off. */
  closeGraceMs?: number;
}

/** What the server (and its tests) can see and drive of the gateway. */
export interface Gateway {
  /** One heartbeat: drop the sockets that missed the last ping, ping the rest. */
  heartbeat(): void;
  /** Closes (4003) every socket whose session has expired or signed out. */
  checkSessions(): Promise<void>;
  stats(): { users: number; connections: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    gateway: Gateway;
  }
}

/**
 * The authenticated WebSocket `/ws`: transport only. It asks the accounts module who the session is, the
 * inbox module for the hello's unread count, and forwards what the domain publishes to the user's Bus
 * channel (gateway/push.ts); it holds no domain rule of its own.
 */
export function registerGateway(app: FastifyInstance, ctx: Context, options: GatewayOptions = {}): void {
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const closeGraceMs = options.closeGraceMs ?? 2_000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 64 * 1024 });
  const channels = new UserChannels(ctx.bus);
  let timer: NodeJS.Timeout | undefined;
  let closing = false;

  const checkSessions = async () => {
    await Promise.all(
      channels.all().map(async (connection) => {
        if (!(await sessionStands(ctx, connection.auth))) connection.close(WS_CLOSE.SIGNED_OUT, 'signed out');
      }),
    );
  };
  const gateway: Gateway = {
    heartbeat: () => {
      for (const connection of channels.all()) connection.heartbeat();
    },
    checkSessions,
    stats: () => channels.stats(),
  };
  app.decorate('gateway', gateway);

  // One timer for every socket of the node, running only while there are sockets.
  const tick = () => {
    gateway.heartbeat();
    checkSessions().catch((err) => app.log.warn({ err }, 'gateway: session check failed'));
  };
  const startTimer = () => {
    timer ??= setInterval(tick, heartbeatMs);
    timer.unref();
  };
  const stopTimerIfIdle = () => {
    if (timer && (closing || channels.stats().connections === 0)) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  const open = async (connection: Connection) => {
    const { socket } = connection;
    socket.on('message', (data, isBinary) => connection.receive(data, isBinary));
    socket.on('error', (err) => app.log.debug({ err }, 'gateway: socket error'));
    socket.once('close', () => {
      channels
        .leave(connection)
        .catch((err) => app.log.warn({ err }, 'gateway: unsubscribe failed'))
        .finally(stopTimerIfIdle);
    });
    // Shutdown began while this socket's handshake finished: it closes with the others' code.
    if (closing) return connection.close(CLOSE_GOING_AWAY, 'server shutting down');
    startTimer();
    try {
      await channels.join(connection);
      connection.hello(await unreadCount(ctx, connection.userId));
    } catch (err) {
      app.log.error({ err }, 'gateway: could not open the session’s channel');
      connection.close(CLOSE_INTERNAL_ERROR, 'server error');
    }
  };

  const upgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Until ws owns the socket, a reset by the client must not become an uncaught 'error'.
    const ignore = () => {};
    socket.on('error', ignore);
    const url = upgradeUrl(request);
    if (!url) return refuseUpgrade(socket, 400);
    if (url.pathname !== GATEWAY_PATH) return refuseUpgrade(socket, 404);
    if (closing) return refuseUpgrade(socket, 503);
    let auth: Authenticated | undefined;
    try {
      auth = await authenticate(ctx, upgradeToken(request, url));
    } catch (err) {
      app.log.error({ err }, 'gateway: authentication failed');
      return refuseUpgrade(socket, 500);
    }
    if (!auth) return refuseUpgrade(socket, 401);
    if (closing) return refuseUpgrade(socket, 503);
    const user = auth;
    wss.handleUpgrade(request, socket, head, (ws) => {
      socket.off('error', ignore);
      void open(new Connection(ws, user));
    });
  };

  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrade(request, socket, head).catch((err) => {
      app.log.error({ err }, 'gateway: upgrade failed');
      socket.destroy();
    });
  });

  // preClose, not onClose: open sockets would keep the HTTP server's close() waiting for ever.
  app.addHook('preClose', async () => {
    closing = true;
    stopTimerIfIdle();
    const connections = channels.all();
    for (const connection of connections) connection.close(CLOSE_GOING_AWAY, 'server shutting down');
    const grace = setTimeout(() => {
      for (const connection of connections) connection.socket.terminate();
    }, closeGraceMs);
    await Promise.all(connections.map((connection) => connection.closed));
    clearTimeout(grace);
    await channels.settled();
    wss.close();
  });
}
