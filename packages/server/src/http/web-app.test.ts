import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type TestServer, testServer } from '../test-support/harness.js';

const dist = fileURLToPath(new URL('../../../web/dist/', import.meta.url));
const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

let s: TestServer;
beforeAll(async () => {
  // The web app is build output (npm install builds it): make it when this checkout has not yet.
  if (!existsSync(`${dist}index.html`))
    execFileSync('npm', ['run', 'build', '-w', '@beckon/web'], { stdio: 'ignore' });
  s = await testServer();
});
afterAll(() => s.close());

describe('the web app', () => {
  test('GET / is the phone for a browser, with a content security policy', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<div id="app">');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  test('GET / answers the JSON status to a client that asks for JSON; GET /health always does', async () => {
    for (const [url, headers] of [
      ['/', { accept: 'application/json' }],
      ['/health', {}],
      ['/health', html],
    ] as const) {
      const res = await s.app.inject({ method: 'GET', url, headers });
      expect(res.statusCode, url).toBe(200);
      expect(res.json()).toMatchObject({ name: 'beckon', status: 'ok' });
    }
  });

  test("a browser reloading one of the app's screens gets the app", async () => {
    const res = await s.app.inject({ method: 'GET', url: '/notifications?x=1', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<div id="app">');
  });

  test('unknown API paths stay errors of their audience, even for a browser', async () => {
    const api = await s.app.inject({ method: 'GET', url: '/api/nothing', headers: html });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ errcode: 91001 });
    const wechat = await s.app.inject({ method: 'GET', url: '/cgi-bin/nothing', headers: html });
    expect(wechat.statusCode).toBe(200);
    expect(wechat.json()).toMatchObject({ errcode: 40066 });
    const script = await s.app.inject({ method: 'GET', url: '/notifications' });
    expect(script.statusCode).toBe(404);
  });

  test('/assets/ serves the hashed build files for good, and nothing else', async () => {
    const js = readdirSync(`${dist}assets`).find((f) => f.endsWith('.js'))!;
    const res = await s.app.inject({ method: 'GET', url: `/assets/${js}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toContain('immutable');
    const missing = await s.app.inject({ method: 'GET', url: '/assets/missing.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ errcode: 91001 });
    // Names that could leave the folder are refused by the route's schema before any file is looked at.
    for (const url of ['/assets/..%2F..%2Fpackage.json', '/assets/.hidden', '/assets/a%2Fb.js']) {
      const bad = await s.app.inject({ method: 'GET', url });
      expect(bad.statusCode, url).toBe(400);
      expect(bad.json()).toMatchObject({ errcode: 91000 });
    }
  });
});
