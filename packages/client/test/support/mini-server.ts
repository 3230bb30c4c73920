import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PAGES } from './server.js';

export interface MiniServer {
  /** `http://127.0.0.1:<port>`: an origin of its own, as a mini program's front end is. */
  url: string;
  close(): Promise<void>;
}

/**
 * A mini program's front end on another origin than Beckon's (127.0.0.1, its own port): `/mini.js`,
 * `/raw.html`, and the test page (pages/mini/page.html) at every other path, loading `<beckon>/sdk/wx.js`.
 */
export async function startMiniServer(beckonUrl: string): Promise<MiniServer> {
  const dir = `${PAGES}mini/`;
  const page = (await readFile(`${dir}page.html`, 'utf8')).replaceAll('{{BECKON}}', beckonUrl);
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const [type, body] =
      path === '/mini.js'
        ? ['application/javascript', await readFile(`${dir}mini.js`)]
        : path === '/raw.html'
          ? ['text/html', await readFile(`${dir}raw.html`)]
          : ['text/html', page];
    response.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-cache' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
