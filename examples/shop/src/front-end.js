import { readFile } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pages and their files, as the phone loads them: `<front end URL>/pages/index/index` and so on. */
export const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));

const HTML = 'text/html; charset=utf-8';
/** The files served as they are (a page's `.html` only through its page path). */
const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** A path of the front end: lowercase letters, digits, `-`, `_`, `.` and `/`, no `..`, no hidden files. */
const SAFE_PATH = /^\/(?:[a-z0-9_-][a-z0-9_.-]*\/)*[a-z0-9_-][a-z0-9_.-]*$/;

/** Text for an HTML attribute: `&<>"'` escaped. */
const escapeAttribute = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Serves the shop's pages (`web/`), plain HTML and JavaScript with no build step. A page is asked for by its
 * path without extension (`/pages/order/detail?id=…`: `web/pages/order/detail.html`), as WeChat names pages;
 * `%BECKON_URL%` in a page becomes the platform's URL, so each page loads `wx` from `<BECKON_URL>/sdk/wx.js`.
 * Pages get a content security policy: scripts from the shop and the platform only.
 *
 * @param {{ beckonUrl: string }} options
 * @returns {(method: string, pathname: string, res: import('node:http').ServerResponse) => Promise<boolean>}
 *   serves the file and says true, or says false when the path is none of the front end's
 */
export function frontEnd({ beckonUrl }) {
  const platform = beckonUrl.replace(/\/+$/, '');
  const platformOrigin = new URL(platform).origin;
  const policy = [
    "default-src 'none'",
    `script-src 'self' ${platformOrigin}`,
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${platformOrigin}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');

  return async function serve(method, pathname, res) {
    if (method !== 'GET' && method !== 'HEAD') return false;
    if (pathname === '/') {
      // The front end URL itself: the first page.
      res.writeHead(302, { location: 'pages/index/index' });
      res.end();
      return true;
    }
    if (!SAFE_PATH.test(pathname)) return false;
    const ext = extname(pathname);
    const page = ext === '' && pathname.startsWith('/pages/');
    if (!page && !Object.hasOwn(TYPES, ext)) return false;
    const file = join(WEB_DIR, `${pathname.slice(1)}${page ? '.html' : ''}`);
    if (!file.startsWith(WEB_DIR) || file.includes(`${sep}.`)) return false;
    let body;
    try {
      body = await readFile(file);
    } catch (err) {
      if (err.code === 'ENOENT' || err.code === 'EISDIR') return false;
      throw err;
    }
    const headers = {
      'content-type': page ? HTML : TYPES[ext],
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    };
    if (page) {
      body = Buffer.from(body.toString('utf8').replaceAll('%BECKON_URL%', escapeAttribute(platform)));
      headers['content-security-policy'] = policy;
    }
    res.writeHead(200, { ...headers, 'content-length': body.length });
    res.end(method === 'HEAD' ? undefined : body);
    return true;
  };
}
