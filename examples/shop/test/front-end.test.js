import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { ITEMS } from '../src/catalogue.js';
import { WEB_DIR } from '../src/front-end.js';
import { useShopWorld } from './support/world.js';

/*
 * The shop's pages as the phone loads them from the shop's own origin: each page path answers its HTML
 * with the platform's wx script, every file a page names is there, and nothing else of the shop's folder
 * is served.
 */

const world = useShopWorld();
const PAGES = ['pages/index/index', 'pages/order/order', 'pages/order/detail'];

/** A raw GET (fetch would resolve `..` before sending it). */
function rawGet(base, path, method = 'GET') {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject).end();
  });
}

test('each page is served at its path with wx from the platform and a content security policy', async () => {
  const running = await world.shop();
  const root = await rawGet(running.url, '/');
  expect(root.status).toBe(302);
  expect(new URL(root.headers.location, `${running.url}/`).href).toBe(`${running.url}/pages/index/index`);

  const beckon = new URL(world.beckonUrl).origin;
  const referenced = new Set();
  for (const page of PAGES) {
    const res = await fetch(`${running.url}/${page}?id=DD1`);
    expect(res.status, page).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy');
    expect(csp).toContain(`script-src 'self' ${beckon}`);
    expect(csp).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain(`<script src="${world.beckonUrl}/sdk/wx.js"></script>`);
    expect(html).not.toContain('%BECKON_URL%');
    for (const [, src] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const url = new URL(src, `${running.url}/${page}`);
      if (url.origin === new URL(running.url).origin) referenced.add(url.pathname);
    }
  }
  // Every file a page names, every item's picture and the icon are there, with their types.
  for (const item of ITEMS) referenced.add(`/items/${item.picture}`);
  referenced.add('/icon.svg');
  referenced.add('/shop.js');
  expect(referenced.size).toBeGreaterThan(8);
  const types = {
    js: 'text/javascript; charset=utf-8',
    css: 'text/css; charset=utf-8',
    svg: 'image/svg+xml',
  };
  for (const path of referenced) {
    const res = await fetch(running.url + path);
    expect(res.status, path).toBe(200);
    expect(res.headers.get('content-type'), path).toBe(types[path.split('.').pop()]);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  }
  const head = await rawGet(running.url, '/icon.svg', 'HEAD');
  expect(head.status).toBe(200);
  expect(head.body).toBe('');
});

test('nothing but the front end is served: no sources, no raw pages, no way out of the folder', async () => {
  const running = await world.shop();
  for (const path of [
    '/pages/index/index.html',
    '/pages/nope',
    '/../src/config.js',
    '/pages/../../src/config.js',
    '/%2e%2e/src/shop.js',
    '/src/shop.js',
    '/package.json',
    '/.env',
    '/items/',
    '/pages/index',
  ]) {
    const res = await rawGet(running.url, path);
    expect(res.status, path).toBe(404);
    expect(JSON.parse(res.body), path).toEqual({ error: 'not found' });
  }
  expect((await rawGet(running.url, '/pages/index/index', 'POST')).status).toBe(404);
});

test('the pages’ scripts parse as modules', async () => {
  const scripts = readdirSync(WEB_DIR, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.js'));
  expect(scripts.sort()).toEqual([
    'pages/index/index.js',
    'pages/order/detail.js',
    'pages/order/order.js',
    'shop.js',
  ]);
  for (const file of scripts)
    await promisify(execFile)(process.execPath, ['--check', join(WEB_DIR, file)]).catch((err) => {
      throw new Error(`${file}: ${err.stderr}`);
    });
});
