import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

const SECRET_PARAMS = new Set(['access_token', 'secret', 'js_code', 'token']);

/** A query of plain names and values only: nothing in it is encoded, so its names read as written. */
const PLAIN_QUERY = /^[\w.=&-]*$/;

/**
 * Masked urls by url: a client sends the same url (the same access token) for hours, and masking it was ~2%
 * of a send's CPU profile. Bounded: emptied when full.
 */
const masked = new Map<string, string>();
const MAX_MASKED = 1024;

function redact(url: string): string {
  let out = masked.get(url);
  if (out === undefined) {
    if (masked.size >= MAX_MASKED) masked.clear();
    out = mask(url);
    masked.set(url, out);
  }
  return out;
}

/** The url with secret query values masked, judged by the decoded names (`%73ecret` is `secret` too). */
function mask(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url.slice(q + 1);
  // The usual query (`access_token=…` on every open API call) is masked as written, without a parser.
  if (PLAIN_QUERY.test(query)) {
    const pairs = query.split('&').map((pair) => {
      const name = pair.split('=', 1)[0]!;
      return SECRET_PARAMS.has(name) ? `${name}=***` : pair;
    });
    return `${url.slice(0, q)}?${pairs.join('&')}`;
  }
  const params = new URLSearchParams(query);
  for (const name of new Set(params.keys())) if (SECRET_PARAMS.has(name)) params.set(name, '***');
  return `${url.slice(0, q)}?${params}`;
}

/** What the error handler answered with, for the request's one log line. */
const outcomes = new WeakMap<FastifyReply, { errcode: number; err?: unknown }>();

/** Called by the error handler: the request's log line will carry `errcode` (and `err`, for a fault). */
export function noteError(reply: FastifyReply, errcode: number, err?: unknown): void {
  outcomes.set(reply, err === undefined ? { errcode } : { errcode, err });
}

/** One log line per request, carrying the id (`reqId`) that also ends every errmsg (` rid: …`). */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    const noted = outcomes.get(reply);
    const line = {
      method: request.method,
      url: redact(request.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ...(noted ? { errcode: noted.errcode } : {}),
    };
    const fault = error ?? noted?.err;
    if (fault) reply.log.error({ ...line, err: fault }, 'request');
    else reply.log.info(line, 'request');
  }
}
