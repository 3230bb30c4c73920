import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PAGES } from './server.js';

export interface MiniServer {
  /** `http://127.0.0.1:<port>`: an origin of its own, as a mini program's front end is. */
  url: string;
  /**
   * One more origin serving the same pages (`http://127.0.0.1:<another port>`): an app's front end, as no two
   * apps may share one (the phone's frames of one origin could script each other).
   */
  newOrigin(): Promise<string>;
  /** Closes every origin it serves. */
  close(): Promise<void>;
}

/**
 * A mini program's front end on another origin than Beckon's (127.0.0.1, its own port): `/mini.js`,
 * `/raw.html`, and the test page (pages/mini/page.html) at every other path, loading `<beckon>/sdk/wx.js`;
 * `newOrigin()` serves the same on one more port.
 */
export async function startMiniServer(beckonUrl: string): Promise<MiniServer> {
  const dir = `${PAGES}mini/`;
  const page = (await readFile(`${dir}page.html`, 'utf8')).replaceAll('{{BECKON}}', beckonUrl);
  const servers: Server[] = [];
  const listen = async (): Promise<string> => {
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
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  return {
    url: await listen(),
    newOrigin: listen,
    close: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      ).then(() => undefined),
  };
}
