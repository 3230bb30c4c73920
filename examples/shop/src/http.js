import { createServer } from 'node:http';
import { WeChatError } from '@beckon/sdk';

/**
 * Small node:http helpers: JSON bodies in and out, errors that carry their status, and the server that
 * answers them (the shop's and the game's).
 */

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const MAX_BODY_BYTES = 64 * 1024;

/** The request's JSON object body; 400 for anything else, 413 past 64 KB. */
export async function readJsonBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body too large');
    chunks.push(chunk);
  }
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body must be JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new HttpError(400, 'body must be a JSON object');
  return body;
}

export function sendJson(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(`${JSON.stringify(value)}\n`);
}

export function requireString(body, name, max = 256) {
  const v = body[name];
  if (typeof v !== 'string' || v.length === 0 || v.length > max)
    throw new HttpError(400, `"${name}" must be a non-empty string`);
  return v;
}

/**
 * Listens on `host:port` with `route(req, res)`; resolves once it listens, with its URL and `close()`. An
 * HttpError the route throws is answered with its status and `{error}`; anything else is the platform
 * refusing (or not reached): 502, as a gateway would, with the errcode and errmsg of a WeChatError, logged
 * as `<name>: METHOD url: message`.
 *
 * @param {{ host: string, port: number, name: string, log: { warn(message: string): void } }} options
 * @param {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<unknown>} route
 */
export async function serveJson({ host, port, name, log }, route) {
  const server = createServer((req, res) => {
    route(req, res).catch((err) => {
      if (err instanceof HttpError) return sendJson(res, err.status, { error: err.message });
      log.warn(`${name}: ${req.method} ${req.url}: ${err.message}`);
      const detail = err instanceof WeChatError ? { errcode: err.errcode, errmsg: err.errmsg } : {};
      sendJson(res, 502, { error: 'the notification platform failed', ...detail });
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    url: `http://${host}:${server.address().port}`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections?.();
    },
  };
}
