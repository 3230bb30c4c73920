import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from 'vitest';
import { buildServer } from '../server.js';
import { ADMIN_TOKEN, testContext } from '../test-support/harness.js';

/** A GET over a fresh connection (no keep-alive pool), resolving to status and body, or rejecting. */
function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('close() lets an in-flight request finish, then refuses new connections', async () => {
  const ctx = testContext();
  const app = await buildServer(ctx, { adminToken: ADMIN_TOKEN, logger: false });
  let started!: () => void;
  const inHandler = new Promise<void>((resolve) => {
    started = resolve;
  });
  app.get('/test-slow', { schema: { querystring: { type: 'object' } } }, async () => {
    started();
    await sleep(300);
    return { done: true };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;

  const inFlight = get(port, '/test-slow');
  await inHandler;
  const closed = app.close();

  expect(await inFlight).toEqual({ status: 200, body: '{"done":true}' });
  await closed;
  await expect(get(port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  await ctx.store.close();
});
