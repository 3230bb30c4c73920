import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a server, for network failures: `cut()` breaks every connection through
 * it (as a lost network does), `refuse(ms)` also turns new connections away for a while, and `freeze()` stops
 * carrying bytes without closing anything (a half-open connection: sleep, a network change, a NAT timeout).
 */
export async function tcpProxy(targetPort: number) {
  const open = new Set<Socket>();
  let refusingUntil = 0;
  let frozen = false;
  const proxy = createServer((client) => {
    if (Date.now() < refusingUntil) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      open.add(a);
      a.on('error', () => b.destroy());
      a.on('data', (chunk) => {
        if (!frozen) b.write(chunk);
      });
      a.on('close', () => {
        open.delete(a);
        if (!frozen) b.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cut(): void {
      for (const socket of open) socket.destroy();
    },
    refuse(ms: number): void {
      refusingUntil = Date.now() + ms;
      this.cut();
    },
    /** Takes new connections again before a `refuse` runs out. */
    allow(): void {
      refusingUntil = 0;
    },
    freeze(): void {
      frozen = true;
    },
    /** Stops listening and breaks what is still connected (a server's close waits for its connections). */
    close(): Promise<void> {
      for (const socket of open) socket.destroy();
      return new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
