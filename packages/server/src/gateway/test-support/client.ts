import type { AddressInfo } from 'node:net';
import type { ServerFrame } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import WebSocket, { type ClientOptions } from 'ws';

/** A real WebSocket client of `/ws`, its frames queued so a test can await them one by one. */
export interface GatewayClient {
  ws: WebSocket;
  /** The next frame not yet taken; rejects after `ms` without one. */
  next(ms?: number): Promise<ServerFrame>;
  /** Frames received and not taken yet. */
  pending(): ServerFrame[];
  /** Resolves with the close code and reason, however the socket closed. */
  closed: Promise<{ code: number; reason: string }>;
}

/** An upgrade the server refused with a plain HTTP response. */
export class Refused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`upgrade refused: ${status} ${body}`);
  }
}

/** Waits for the server to notice what a client did (closing is asynchronous on both ends). */
export async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

/** The base `ws://` URL of a listening server. */
export function wsBase(app: FastifyInstance): string {
  const { port } = app.server.address() as AddressInfo;
  return `ws://127.0.0.1:${port}`;
}

/** Opens a socket: token in the Authorization header (default) or in `?token=`. */
export function connect(
  app: FastifyInstance,
  auth: { token?: string; via?: 'header' | 'query'; path?: string },
  options: ClientOptions = {},
): Promise<GatewayClient> {
  const path = auth.path ?? '/ws';
  const query = auth.via === 'query' && auth.token ? `?token=${encodeURIComponent(auth.token)}` : '';
  const headers: Record<string, string> =
    auth.via !== 'query' && auth.token ? { authorization: `Bearer ${auth.token}` } : {};
  const ws = new WebSocket(`${wsBase(app)}${path}${query}`, { ...options, headers });
  const queue: ServerFrame[] = [];
  const waiting: ((frame: ServerFrame) => void)[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as ServerFrame;
    const take = waiting.shift();
    if (take) take(frame);
    else queue.push(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const client: GatewayClient = {
    ws,
    closed,
    pending: () => [...queue],
    next(ms = 2000) {
      const frame = queue.shift();
      if (frame) return Promise.resolve(frame);
      return new Promise((resolve, reject) => {
        const take = (f: ServerFrame) => {
          clearTimeout(timer);
          resolve(f);
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(take), 1);
          reject(new Error(`no frame within ${ms} ms`));
        }, ms);
        waiting.push(take);
      });
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => reject(new Refused(res.statusCode ?? 0, body)));
    });
    ws.once('error', reject);
  });
}
