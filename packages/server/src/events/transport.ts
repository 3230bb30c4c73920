import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What the developer's server answered: its status and (the first 64 KiB of) its body. */
export interface Answer {
  status: number;
  body: string;
}

/** The developer's server did not answer: `timeout` (nothing within the limit) or `unreachable`. */
export class NoAnswer extends Error {
  constructor(
    readonly kind: 'timeout' | 'unreachable',
    message: string,
  ) {
    super(message);
    this.name = 'NoAnswer';
  }
}

const MAX_BODY = 64 * 1024;

export interface Exchange {
  method: 'GET' | 'POST';
  url: URL;
  body?: string;
  contentType?: string;
  /** The whole exchange, connect to last byte. */
  timeoutMs: number;
}

/**
 * One request to the developer's server. A fresh connection each time (no keep-alive): a pooled socket the
 * receiver has since closed would fail an attempt that never reached it. Redirects are not followed: a
 * 3xx is an answer, and not an accepting one.
 */
export function exchange(x: Exchange): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const send = x.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string | number> = { 'user-agent': 'Beckon-Push/1' };
    if (x.body !== undefined) {
      headers['content-type'] = x.contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(x.body);
    }
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const req = send(x.url, { method: x.method, headers, agent: false });
    const timer = setTimeout(() => {
      settle(() => reject(new NoAnswer('timeout', `no answer within ${x.timeoutMs / 1000} s`)));
      req.destroy();
    }, x.timeoutMs);
    req.once('error', (err) => settle(() => reject(new NoAnswer('unreachable', describe(err)))));
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_BODY) chunks.push(chunk);
        size += chunk.length;
      });
      res.once('end', () =>
        settle(() =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8'),
          }),
        ),
      );
      res.once('error', (err) => settle(() => reject(new NoAnswer('unreachable', describe(err)))));
    });
    req.end(x.body);
  });
}

function describe(err: Error & { code?: string }): string {
  return err.code && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message;
}

/** A receiver's body as an error text: short, on one line. */
export function quoteBody(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return JSON.stringify(line.length > 100 ? `${line.slice(0, 100)}…` : line);
}
