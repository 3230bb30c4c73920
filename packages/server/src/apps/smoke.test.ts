import { afterEach, beforeEach, expect, test } from 'vitest';
import { type TestServer, testServer } from '../test-support/harness.js';

let s: TestServer;
beforeEach(async () => {
  s = await testServer();
});
afterEach(() => s.close());

test('a token from /cgi-bin/token is long and URL-safe', async () => {
  const app = await s.newApp();
  const token = await s.tokenFor(app);
  expect(token.length).toBeGreaterThan(32);
  expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
});
