import type { FastifyInstance } from 'fastify';

const startedAt = Date.now();

/** What `GET /health` answers (and `GET /` to a client that asks for JSON). */
export function status() {
  return {
    name: 'beckon',
    status: 'ok',
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    apis: {
      open: ['/cgi-bin/token', '/cgi-bin/stable_token', '/sns/jscode2session', '/wxaapi/newtmpl/*'],
      client: ['/api/*'],
      admin: ['/admin/*'],
    },
  };
}

/** `GET /health`: a script's (or a load balancer's) way to see the server is up. */
export function registerStatusRoute(app: FastifyInstance): void {
  app.get('/health', { schema: { querystring: { type: 'object' } } }, async () => status());
}
