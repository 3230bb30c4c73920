import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WS_CLOSE } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer } from 'ws';
import { iceServersFor } from '../calls/ice.js';
import type { CallService } from '../calls/service.js';
import type { Context } from '../context.js';
import { unreadCount } from '../messages/inbox.js';
import { CallingGateway, type CallingOptions } from './calling.js';
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
  /** How long a socket without a session token may stay open without logging in to calling (default 10 s). */
  loginTimeoutMs?: number;
  /** How long a calling session whose socket dropped can be resumed (default 20 s). */
  resumeGraceMs?: number;
  iceServers?: CallingOptions['iceServers'];
}

/** What the server (and its tests) can see and drive of the gateway. */
export interface Gateway {
  /** One heartbeat: drop the sockets that missed the last ping, ping the rest. */
  heartbeat(): void;
  /**
   * Closes (4003) every socket whose session has expired or signed out, and kicks out every calling session
   * whose userSig has expired.
   */
  checkSessions(): Promise<void>;
  stats(): { users: number; connections: number; callSessions: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    gateway: Gateway;
    /** Calling's domain service (the server's start runs its timeout sweeps: `startSweeping`). */
    calls: CallService;
  }
}

/**
 * The WebSocket `/ws`: transport only. A platform session (token at the upgrade) gets its inbox: the
 * accounts module says who the session is, the inbox module gives the hello's unread count, and what the
 * domain publishes to the user's Bus channel is forwarded (gateway/push.ts). Any socket can log in to
 * calling with a userSig (gateway/calling.ts); one that shows neither is closed (4001).
 */
export function registerGateway(app: FastifyInstance, ctx: Context, options: GatewayOptions = {}): void {
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const closeGraceMs = options.closeGraceMs ?? 2_000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 64 * 1024 });
  const loginTimeoutMs = options.loginTimeoutMs ?? 10_000;
  const channels = new UserChannels(ctx.bus);
  const connections = new Set<Connection>();
  // A socket with neither a platform session nor a calling one is closed when the timer runs out.
  const armLoginTimer = (connection: Connection) => {
    if (connection.auth) return;
    const timeout = setTimeout(() => {
      if (!connection.callSession) connection.close(WS_CLOSE.UNAUTHORIZED, 'log in to calling first');
    }, loginTimeoutMs);
    timeout.unref();
    void connection.closed.then(() => clearTimeout(timeout));
  };
  const calling = new CallingGateway(ctx, {
    resumeGraceMs: options.resumeGraceMs ?? 20_000,
    loggedOut: armLoginTimer,
    iceServers: options.iceServers ?? ((userId) => iceServersFor(ctx.config, userId, ctx.clock.now())),
    log: app.log,
  });
  let timer: NodeJS.Timeout | undefined;
  let closing = false;

  const checkSessions = async () => {
    await Promise.all(
      channels.all().map(async (connection) => {
        if (connection.auth && !(await sessionStands(ctx, connection.auth)))
          connection.close(WS_CLOSE.SIGNED_OUT, 'signed out');
      }),
    );
    await calling.expireUserSigs();
  };
  const gateway: Gateway = {
    heartbeat: () => {
      for (const connection of connections) connection.heartbeat();
    },
    checkSessions,
    stats: () => ({
      users: channels.userCount,
      connections: connections.size,
      callSessions: calling.sessionCount,
    }),
  };
  app.decorate('gateway', gateway);
  app.decorate('calls', calling.service);

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
    if (timer && (closing || connections.size === 0)) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  const open = async (connection: Connection) => {
    const { socket } = connection;
    socket.on('message', (data, isBinary) => connection.receive(data, isBinary));
    socket.on('error', (err) => app.log.debug({ err }, 'gateway: socket error'));
    connections.add(connection);
    socket.once('close', () => {
      connections.delete(connection);
      calling.dropped(connection);
      if (!connection.auth) return stopTimerIfIdle();
      channels
        .leave(connection.auth.userId, connection)
        .catch((err) => app.log.warn({ err }, 'gateway: unsubscribe failed'))
        .finally(stopTimerIfIdle);
    });
    // Shutdown began while this socket's handshake finished: it closes with the others' code.
    if (closing) return connection.close(CLOSE_GOING_AWAY, 'server shutting down');
    startTimer();
    if (!connection.auth) return armLoginTimer(connection);
    try {
      await channels.join(connection.auth.userId, connection);
      connection.hello(await unreadCount(ctx, connection.auth.userId));
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
    // No token: a calling client, which logs in with its userSig. A token that does not stand: refused.
    const token = upgradeToken(request, url);
    let auth: Authenticated | undefined;
    try {
      auth = await authenticate(ctx, token);
    } catch (err) {
      app.log.error({ err }, 'gateway: authentication failed');
      return refuseUpgrade(socket, 500);
    }
    if (token && !auth) return refuseUpgrade(socket, 401);
    if (closing) return refuseUpgrade(socket, 503);
    const user = auth;
    wss.handleUpgrade(request, socket, head, (ws) => {
      socket.off('error', ignore);
      void open(new Connection(ws, user, (c, r) => calling.handle(c, r)));
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
    const open = [...connections];
    for (const connection of open) connection.close(CLOSE_GOING_AWAY, 'server shutting down');
    const grace = setTimeout(() => {
      for (const connection of open) connection.socket.terminate();
    }, closeGraceMs);
    await Promise.all(open.map((connection) => connection.closed));
    clearTimeout(grace);
    calling.close();
    await channels.settled();
    wss.close();
  });
}
