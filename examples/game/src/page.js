import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const PUBLIC_DIR = new URL('../public/', import.meta.url);

/** The files the page loads, beside index.html, with their types: nothing else is served. */
const ASSETS = {
  '/game.js': 'text/javascript; charset=utf-8',
  '/backend.js': 'text/javascript; charset=utf-8',
  '/taps.js': 'text/javascript; charset=utf-8',
  '/play.js': 'text/javascript; charset=utf-8',
  '/board.js': 'text/javascript; charset=utf-8',
  '/style.css': 'text/css; charset=utf-8',
  '/icon.svg': 'image/svg+xml',
};

const escapeAttribute = (s) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The game's one page and its assets, read once. The page loads `wx` from Beckon
 * (`<script src="${beckonUrl}/sdk/wx.js">`) and finds its settings in `<meta name="game-config">`.
 *
 * @param {{ beckonUrl: string, pageConfig: Record<string, unknown> }} options
 */
export async function loadPage({ beckonUrl, pageConfig }) {
  const template = await readFile(fileURLToPath(new URL('index.html', PUBLIC_DIR)), 'utf8');
  const html = template
    .replace('{{WX_SCRIPT}}', escapeAttribute(`${beckonUrl}/sdk/wx.js`))
    .replace('{{CONFIG}}', () => escapeAttribute(JSON.stringify(pageConfig)));
  const files = new Map([['/', { type: 'text/html; charset=utf-8', body: Buffer.from(html) }]]);
  for (const [path, type] of Object.entries(ASSETS))
    files.set(path, { type, body: await readFile(fileURLToPath(new URL(path.slice(1), PUBLIC_DIR))) });
  const beckonOrigin = new URL(beckonUrl).origin;
  // The page runs its own scripts and Beckon's wx.js; it talks to its own backend only (the bridge to the
  // phone is postMessage). Friends' avatars may come from anywhere.
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${beckonOrigin}`,
    `connect-src 'self' ${beckonOrigin}`,
    "style-src 'self' 'unsafe-inline'",
    'img-src * data: blob:',
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
  return {
    /** The file at `pathname` (`/` is the page), or undefined. */
    file: (pathname) => files.get(pathname === '/index.html' ? '/' : pathname),
    headers: (type) => ({
      'content-type': type,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(type.startsWith('text/html') ? { 'content-security-policy': csp } : {}),
    }),
  };
}
