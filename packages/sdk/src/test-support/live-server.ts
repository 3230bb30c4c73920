import type { AddressInfo } from 'node:net';
import { type TestServer, testServer } from '../../../server/src/test-support/harness.js';

/** The real Beckon server, listening on 127.0.0.1, counting the requests that reach it by path. */
export interface LiveServer {
  s: TestServer;
  baseUrl: string;
  /** Requests that reached the listening socket for `path` (in-process `inject` calls are not counted). */
  hits(path: string): number;
  close(): Promise<void>;
}

export async function liveServer(): Promise<LiveServer> {
  const s = await testServer();
  await s.app.listen({ host: '127.0.0.1', port: 0 });
  const counts = new Map<string, number>();
  s.app.server.on('request', (req) => {
    const path = (req.url ?? '').split('?')[0]!;
    counts.set(path, (counts.get(path) ?? 0) + 1);
  });
  const { port } = s.app.server.address() as AddressInfo;
  return {
    s,
    baseUrl: `http://127.0.0.1:${port}`,
    hits: (path) => counts.get(path) ?? 0,
    close: () => s.close(),
  };
}

/** `stable_token` with `force_refresh`, as another party (a console, a careless script) would call it. */
export async function forceRefresh(s: TestServer, app: { appid: string; secret: string }): Promise<string> {
  // The server forces at most once per 30 s: move past the window so this one really does.
  s.clock.advance(31_000);
  const res = await s.app.inject({
    method: 'POST',
    url: '/cgi-bin/stable_token',
    payload: { grant_type: 'client_credential', appid: app.appid, secret: app.secret, force_refresh: true },
  });
  const token = (res.json() as { access_token?: string }).access_token;
  if (!token) throw new Error(`force_refresh: ${res.body}`);
  return token;
}
