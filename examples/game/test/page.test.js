import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { configFromEnv } from '../src/config.js';
import { world } from './support.js';

let w;
beforeEach(async () => {
  w = await world();
});
afterEach(async () => {
  await w.close();
});

const decodeAttribute = (s) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

test('the page loads wx from the configured Beckon, finds the template in its config, and gets every file it asks for', async () => {
  const game = await w.game();
  const res = await fetch(game.url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const html = await res.text();
  expect(html).toContain(`<script src="${w.beckonUrl}/sdk/wx.js"></script>`);
  // wx.js comes before the game's module, so `wx` is there when the game starts.
  expect(html.indexOf('/sdk/wx.js')).toBeLessThan(html.indexOf('src="/game.js"'));
  const meta = /<meta name="game-config" content="([^"]*)"/.exec(html);
  expect(JSON.parse(decodeAttribute(meta[1]))).toEqual({ staminaTemplateId: w.template, roundSeconds: 20 });
  const csp = res.headers.get('content-security-policy');
  expect(csp).toContain(`script-src 'self' ${w.beckonUrl}`);
  expect(csp).toContain("connect-src 'self'");

  // Every file the page names, and every module its scripts import, is served with its type.
  const wanted = [...html.matchAll(/(?:src|href)="(\/[^"]*)"/g)].map((m) => m[1]);
  const seen = new Set();
  while (wanted.length > 0) {
    const path = wanted.shift();
    if (seen.has(path)) continue;
    seen.add(path);
    const file = await fetch(new URL(path, game.url));
    expect(file.status, path).toBe(200);
    const type = file.headers.get('content-type');
    const body = await file.text();
    if (path.endsWith('.js')) {
      expect(type, path).toBe('text/javascript; charset=utf-8');
      for (const m of body.matchAll(/^import .* from '\.\/([\w-]+\.js)';$/gm)) wanted.push(`/${m[1]}`);
    }
    if (path.endsWith('.svg')) expect(type).toBe('image/svg+xml');
    if (path.endsWith('.css')) expect(type).toBe('text/css; charset=utf-8');
  }
  expect([...seen].sort()).toEqual(
    ['/backend.js', '/board.js', '/game.js', '/icon.svg', '/play.js', '/style.css', '/taps.js'].sort(),
  );

  // The buttons a player (and the lead's browser test) looks for, by their names.
  for (const name of ['Start', '+1 reminder', 'Subscribe to game reminders'])
    expect(html).toMatch(new RegExp(`<button[^>]*>${name.replace('+', '\\+')}</button>`));
  expect(html).toContain('Welcome back — your stamina is full');

  for (const path of ['/package.json', '/src/main.js', '/../src/main.js', '/index.htm', '/public/game.js'])
    expect((await fetch(new URL(path, game.url))).status, path).toBe(404);
  expect((await fetch(new URL('/index.html', game.url))).status).toBe(200);
});

test('configFromEnv: the names the demo sets, their defaults, and clear errors', () => {
  const base = { APP_ID: 'wx1', APP_SECRET: 's', STAMINA_TEMPLATE_ID: 't' };
  expect(configFromEnv(base)).toMatchObject({
    beckonUrl: 'http://127.0.0.1:8720',
    appId: 'wx1',
    appSecret: 's',
    staminaTemplateId: 't',
    host: '127.0.0.1',
    port: 8722,
    staminaRefillMs: 60_000,
  });
  expect(configFromEnv({ ...base, DATA_DIR: '/tmp/g' }).dataDir).toBe('/tmp/g');
  const set = configFromEnv({
    ...base,
    BECKON_URL: 'http://localhost:9000/',
    HOST: '0.0.0.0',
    PORT: '0',
    STAMINA_REFILL_MS: '15000',
  });
  expect(set).toMatchObject({
    beckonUrl: 'http://localhost:9000',
    host: '0.0.0.0',
    port: 0,
    staminaRefillMs: 15000,
  });
  expect(() => configFromEnv({})).toThrow('game: set APP_ID, APP_SECRET, STAMINA_TEMPLATE_ID');
  expect(() => configFromEnv({ ...base, PORT: '70000' })).toThrow(/PORT/);
  expect(() => configFromEnv({ ...base, BECKON_URL: 'ftp://x' })).toThrow(/BECKON_URL/);
  expect(() => configFromEnv({ ...base, BECKON_URL: 'http://h/?x=1' })).toThrow(/BECKON_URL/);
  expect(() => configFromEnv({ ...base, BECKON_URL: 'not a url' })).toThrow(/BECKON_URL/);
  // Behind a proxy, under a path.
  expect(configFromEnv({ ...base, BECKON_URL: 'https://example.com/beckon/' }).beckonUrl).toBe(
    'https://example.com/beckon',
  );
  for (const ms of ['0', '-5', '1.5', 'soon', '86400001'])
    expect(() => configFromEnv({ ...base, STAMINA_REFILL_MS: ms }), ms).toThrow(/STAMINA_REFILL_MS/);
});

test('node src/main.js as the demo starts it: says where it listens, serves the page, stops on SIGTERM', async () => {
  const env = {
    PATH: process.env.PATH,
    BECKON_URL: w.beckonUrl,
    APP_ID: w.app.appid,
    APP_SECRET: w.app.secret,
    STAMINA_TEMPLATE_ID: w.template,
    PORT: '0',
    DATA_DIR: w.dataDir,
    STAMINA_REFILL_MS: '5000',
  };
  const main = fileURLToPath(new URL('../src/main.js', import.meta.url));
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = /listening at (\S+)/.exec(out)?.[1];
      if (found) resolve(found);
    });
    child.once('exit', () => reject(new Error(`exited before listening: ${out}`)));
  });
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  const page = await (await fetch(url)).text();
  expect(page).toContain(`<script src="${w.beckonUrl}/sdk/wx.js"></script>`);
  child.kill('SIGTERM');
  expect(await once(child, 'exit')).toEqual([0, null]);
});
