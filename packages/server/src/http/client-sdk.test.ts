import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestServer, testServer } from '../test-support/harness.js';

let s: TestServer;
beforeAll(async () => {
  // The bundle is build output: make it, as `npm run build` does.
  execFileSync(process.execPath, [fileURLToPath(new URL('../../../client/build.mjs', import.meta.url))]);
  s = await testServer();
});
afterAll(() => s.close());

test('GET /sdk/trtc-calling.js serves the script-tag bundle that defines the global TRTCCalling', async () => {
  const res = await s.app.inject({ method: 'GET', url: '/sdk/trtc-calling.js' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
  expect(res.body).toContain('globalThis.TRTCCalling');
  const map = await s.app.inject({ method: 'GET', url: '/sdk/trtc-calling.js.map' });
  expect(map.statusCode).toBe(200);
  expect(JSON.parse(map.body)).toMatchObject({ version: 3 });
});

test("GET /sdk/wx.js serves the bundle that defines a mini program page's global wx", async () => {
  const res = await s.app.inject({ method: 'GET', url: '/sdk/wx.js' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
  expect(res.body).toContain('globalThis.wx');
  const map = await s.app.inject({ method: 'GET', url: '/sdk/wx.js.map' });
  expect(map.statusCode).toBe(200);
  expect(JSON.parse(map.body)).toMatchObject({ version: 3 });
});

test('any other file under /sdk/ is a 404 naming the one there is', async () => {
  for (const url of ['/sdk/index.js', '/sdk/..%2Fpackage.json', '/sdk/__proto__']) {
    const res = await s.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ errcode: 91001 });
    expect(res.json().errmsg).toContain('/sdk/trtc-calling.js and /sdk/wx.js');
  }
});
