import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the developer's server saw it. */
export interface Received {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  body: string;
  /** Real time it arrived (ms), to check what ran in parallel. */
  at: number;
}

/** How the receiver answers: status and body, or `hang` to never answer, or `drop` to cut the socket. */
export type Reply = { status?: number; body?: string; delayMs?: number } | 'hang' | 'drop';

export interface Receiver {
  url: string;
  received: Received[];
  posts(): Received[];
  /** Replaces how the next requests are answered. */
  answer(fn: (req: Received, n: number) => Reply): void;
  close(): Promise<void>;
}

/**
 * A developer's server on 127.0.0.1: records every request, answers the URL check with its echostr and
 * events with "success" unless told otherwise.
 */
export async function startReceiver(path = '/wechat/push'): Promise<Receiver> {
  const received: Received[] = [];
  let answer: (req: Received, n: number) => Reply = (req) =>
    req.method === 'GET' ? { body: req.query.echostr ?? '' } : { body: 'success' };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const r: Received = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      received.push(r);
      const reply = answer(r, received.length);
      if (reply === 'hang') return;
      if (reply === 'drop') {
        req.socket.destroy();
        return;
      }
      const send = () =>
        res.writeHead(reply.status ?? 200, { 'content-type': 'text/plain' }).end(reply.body ?? '');
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    posts: () => received.filter((r) => r.method === 'POST'),
    answer(fn) {
      answer = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL nothing listens on: a port just closed. */
export async function deadUrl(): Promise<string> {
  const r = await startReceiver();
  await r.close();
  return r.url;
}
