import { ApiError, Errors } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';

/**
 * A form body as an object. Repeated keys become arrays, and PHP-style `kidList[]=1` / `kidList[0]=1`
 * become `kidList: [...]`, as EasyWeChat and Guzzle send them (spec §1.4).
 */
export function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const bracket = /^([^[\]]+)\[\d*\]$/.exec(rawKey);
    const key = bracket ? bracket[1]! : rawKey;
    const prev = out[key];
    if (prev === undefined) out[key] = bracket ? [value] : value;
    else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

type Done = (err: Error | null, body?: unknown) => void;

export function registerBodyParsers(app: FastifyInstance): void {
  // Fastify's parser, for its guard against __proto__ / constructor poisoning.
  const secureParse = app.getDefaultJsonParser('error', 'ignore');
  const parseJson = (text: string, done: Done) =>
    secureParse(undefined as never, text, (err: Error | null, body?: unknown) =>
      err ? done(ApiError.because(Errors.DATA_FORMAT, `body is not JSON`)) : done(null, body),
    );

  // `curl -d '{…}'` labels JSON as a form: a form body that opens with `{` or `[` is read as JSON.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    const text = (body as string).trim();
    if (/^[[{]/.test(text)) return parseJson(text, done);
    done(null, text === '' ? undefined : parseForm(text));
  });
  // Many WeChat SDKs post JSON as text/plain or with no content type at all: read any other body as JSON.
  // Fastify's own text/plain parser would hand the route a string, so it goes.
  // Fastify's JSON parser refuses an empty body, but `fetch` with a JSON content type and no body is common
  // for routes that take none; an empty body reaches the route as none (44002 where one is required).
  app.removeContentTypeParser(['text/plain', 'application/json']);
  const anyBody = (_req: unknown, body: string | Buffer, done: Done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, undefined);
    parseJson(text, done);
  };
  app.addContentTypeParser('*', { parseAs: 'string' }, anyBody);
  // The same parser, named: Fastify caches the parser of a named type, but looks the catch-all up anew
  // (parsing the header) on every request, ~1% of a send's CPU profile.
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, anyBody);
}
