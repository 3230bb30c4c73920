import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { issueUserSig } from '../../../server/src/calls/credentials.js';
import type { GatewayOptions } from '../../../server/src/gateway/gateway.js';
import { type TestServer, testServer } from '../../../server/src/test-support/harness.js';

/**
 * Test pages, served at `/test/<file>` so their origin is the Beckon server (the SDK's default). A `.ts` page
 * script is bundled on request (esbuild), so a page can import the client's sources (the shell's host page).
 */
export const PAGES = fileURLToPath(new URL('../pages/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.ts': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** A page script in TypeScript, bundled for the browser with what it imports; null when there is none. */
async function bundle(file: string): Promise<Buffer | null> {
  const found = await readFile(file).catch(() => null);
  if (!found) return null;
  const out = await build({
    entryPoints: [file],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return Buffer.from(out.outputFiles[0]!.contents);
}

export interface BrowserTestServer {
  /** `http://127.0.0.1:<port>`: a secure context for getUserMedia, as loopback is. */
  url: string;
  /** The test app's SDKAppID: `new TRTCCalling({ SDKAppID })` on a test page. */
  sdkAppId: number;
  /** A userSig for `userId` in the test app, signed with its RTC secret key. */
  userSig(userId: string): Promise<string>;
  /** The URL of a file in packages/client/test/pages. */
  page(file: string): string;
  /** The in-process server under the test: its context, store and (manual) clock. */
  server: TestServer;
  close(): Promise<void>;
}

/**
 * Beckon in-process (the harness's testServer, SQLite in memory) listening on 127.0.0.1, with one app,
 * and the test pages. It serves the SDK's script-tag bundle at /sdk/trtc-calling.js itself (the route
 * reads packages/client/dist, which the browser run's globalSetup builds).
 */
export async function startBrowserTestServer(
  options: { gateway?: GatewayOptions } = {},
): Promise<BrowserTestServer> {
  const server = await testServer(options);
  server.app.get<{ Params: { '*': string } }>(
    '/test/*',
    { schema: { params: { type: 'object', properties: { '*': { type: 'string' } } } } },
    async (request, reply) => {
      const file = resolve(PAGES, request.params['*']);
      const body = !file.startsWith(PAGES)
        ? null
        : extname(file) === '.ts'
          ? await bundle(file)
          : await readFile(file).catch(() => null);
      if (!body) return reply.code(404).type('text/plain').send(`no test page ${request.params['*']}`);
      return reply
        .type(TYPES[extname(file)] ?? 'application/octet-stream')
        .header('cache-control', 'no-cache')
        .send(body);
    },
  );
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  if (!address || typeof address === 'string') throw new Error('the test server has no TCP address');
  const url = `http://127.0.0.1:${address.port}`;
  const { sdkAppId } = await server.newApp();
  return {
    url,
    sdkAppId,
    async userSig(userId) {
      return (await issueUserSig(server.ctx, { sdkAppId, userId })).userSig;
    },
    page: (file) => `${url}/test/${file}`,
    server,
    close: () => server.close(),
  };
}
