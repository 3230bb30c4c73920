import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ApiError, Errors } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';

/**
 * The browser SDK's script-tag bundles as @beckon/client builds them (dist/bundle/), with their maps:
 * TRTCCalling, and the `wx` of mini program pages.
 */
const FILES = {
  'trtc-calling.js': 'application/javascript; charset=utf-8',
  'trtc-calling.js.map': 'application/json; charset=utf-8',
  'wx.js': 'application/javascript; charset=utf-8',
  'wx.js.map': 'application/json; charset=utf-8',
} as const;

function bundlePath(file: keyof typeof FILES): string | undefined {
  try {
    return fileURLToPath(import.meta.resolve(`@beckon/client/${file}`));
  } catch {
    return undefined;
  }
}

/**
 * `GET /sdk/trtc-calling.js`: the SDK for a plain page (`<script src="https://beckon.example/sdk/trtc-calling.js">`
 * defines the global TRTCCalling, whose server defaults to the page's origin). `GET /sdk/wx.js`: the `wx` of a
 * mini program's page, which the phone frames (pages on another origin load it with a plain script tag: no
 * CORS needed). Read from disk on each request so a rebuilt bundle is served without a restart; 404 with a
 * clear message when it was never built.
 */
export function registerClientSdkRoutes(app: FastifyInstance): void {
  app.get<{ Params: { file: string } }>(
    '/sdk/:file',
    { schema: { params: { type: 'object', properties: { file: { type: 'string', maxLength: 64 } } } } },
    async (request, reply) => {
      const file = request.params.file as keyof typeof FILES;
      if (!Object.hasOwn(FILES, file))
        throw new ApiError(
          Errors.NOT_FOUND,
          'no such file; the SDKs are /sdk/trtc-calling.js and /sdk/wx.js',
        );
      const path = bundlePath(file);
      const body = path ? await readFile(path).catch(() => undefined) : undefined;
      if (!body) throw new ApiError(Errors.NOT_FOUND, 'the browser SDK is not built: run `npm run build`');
      return reply.type(FILES[file]).header('cache-control', 'no-cache').send(body);
    },
  );
}
