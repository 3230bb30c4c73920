import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError, Errors } from '@beckon/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isWechatPath } from './audience.js';
import { status } from './status.js';

/** The web app's build (packages/web/dist), or undefined when the package cannot be found. */
function webDist(): string | undefined {
  try {
    return join(fileURLToPath(import.meta.resolve('@beckon/web/package.json')), '..', 'dist');
  } catch {
    return undefined;
  }
}

const TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
};

/**
 * The phone's pages: its own scripts and styles only; mini programs in frames of any http(s) origin (the
 * shell takes messages only from the registered one); images from anywhere (app icons); the socket.
 * Text from users and developers is rendered as text by the app; this is the second line.
 */
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  'img-src * data: blob:',
  'media-src * blob: mediastream:',
  "connect-src 'self' ws: wss:",
  'frame-src http: https:',
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths the app itself never routes: an unknown one there is an API's 404, never the phone. */
const API_PREFIXES = ['/api/', '/admin/', '/sdk/', '/assets/', '/ws', '/health', '/metrics'];

/** A browser navigating to one of the app's own routes (`/`, `/notifications`, a reload of any screen). */
export function isPageNavigation(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0]!;
  if (isWechatPath(path) || API_PREFIXES.some((p) => path === p || path.startsWith(p))) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

/** Sends the app's index.html (read per request: a rebuilt app is served without a restart). */
export async function sendWebApp(reply: FastifyReply): Promise<FastifyReply> {
  const dist = webDist();
  const html = dist ? await readFile(join(dist, 'index.html')).catch(() => undefined) : undefined;
  if (!html) throw new ApiError(Errors.NOT_FOUND, 'the web app is not built: run `npm run build`');
  return reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-cache')
    .header('content-security-policy', PAGE_POLICY)
    .header('x-content-type-options', 'nosniff')
    .send(html);
}

/**
 * The web app: `GET /` is the phone (JSON status instead for a client that asks for JSON and not HTML, as
 * `GET /health` always is); `/assets/*` its hashed files, cached for good. Other navigations to the app's
 * routes get index.html from the not-found handler (http/errors.ts), so a reload of any screen works.
 */
export function registerWebApp(app: FastifyInstance): void {
  app.get('/', { schema: { querystring: { type: 'object' } } }, async (request, reply) => {
    const accept = request.headers.accept ?? '';
    if (accept.includes('application/json') && !accept.includes('text/html')) return status();
    return sendWebApp(reply);
  });

  app.get<{ Params: { file: string } }>(
    '/assets/:file',
    {
      schema: {
        params: {
          type: 'object',
          properties: { file: { type: 'string', pattern: '^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$' } },
        },
      },
    },
    async (request, reply) => {
      const dist = webDist();
      const path = dist ? join(dist, 'assets', request.params.file) : undefined;
      const found = path ? await stat(path).catch(() => undefined) : undefined;
      if (!path || !found?.isFile()) throw new ApiError(Errors.NOT_FOUND);
      // Vite names every asset by its content's hash: a new build makes new names.
      return reply
        .type(TYPES[extname(path)] ?? 'application/octet-stream')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(createReadStream(path));
    },
  );
}
