import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PushAnswer, PushInput } from './receiver.js';

/** A `(req, res)` function: node:http, Express (`app.all(path, fn)`), Fastify's `request.raw`/`reply.raw`. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Pushes are a few KB; a larger body is not one. */
const MAX_BODY_BYTES = 1024 * 1024;

class TooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new TooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The body as the framework left it: a string, Buffer or parsed object when a body parser already ran
 * (Express `express.text()`, a Fastify content-type parser), else read from the stream here.
 */
async function bodyOf(req: IncomingMessage): Promise<PushInput['body']> {
  const parsed = (req as IncomingMessage & { body?: unknown }).body;
  if (typeof parsed === 'string' || parsed instanceof Uint8Array) return parsed;
  if (parsed !== null && typeof parsed === 'object' && Object.keys(parsed).length > 0)
    return parsed as Record<string, unknown>;
  return readBody(req);
}

function send(res: ServerResponse, answer: PushAnswer): void {
  res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(answer.body);
}

export function nodeHandler(
  respond: (input: PushInput & { method: string }) => Promise<PushAnswer>,
): NodeHandler {
  return (req, res) => {
    void (async () => {
      const query = new URL(req.url ?? '/', 'http://receiver').searchParams;
      let body: PushInput['body'] = '';
      if (req.method === 'POST') {
        try {
          body = await bodyOf(req);
        } catch (err) {
          send(
            res,
            err instanceof TooLarge
              ? { status: 413, body: 'body too large' }
              : { status: 400, body: 'bad body' },
          );
          return;
        }
      }
      send(
        res,
        await respond({ method: req.method ?? 'GET', query, body, contentType: req.headers['content-type'] }),
      );
    })().catch((err: unknown) => {
      // respond() throws only on a bug; answer something rather than leave the platform hanging.
      console.error('push receiver: unexpected failure', err);
      if (!res.headersSent) send(res, { status: 400, body: 'bad request' });
    });
  };
}
