import type { FastifyInstance } from 'fastify';

const startedAt = Date.now();

/** `GET /`: shows a person (HTML) or a script (JSON) that the server is up. */
export function registerStatusRoute(app: FastifyInstance): void {
  app.get('/', { schema: { querystring: { type: 'object' } } }, async (request, reply) => {
    const status = {
      name: 'beckon',
      status: 'ok',
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      apis: {
        open: ['/cgi-bin/token', '/cgi-bin/stable_token', '/sns/jscode2session', '/wxaapi/newtmpl/*'],
        client: ['/api/*'],
        admin: ['/admin/*'],
      },
    };
    if (!(request.headers.accept ?? '').includes('text/html')) return status;
    return reply.type('text/html; charset=utf-8').send(
      `<!doctype html><meta charset="utf-8"><title>Beckon</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}</style>
<h1>Beckon is running</h1>
<p>Up for ${status.uptimeSeconds} s. Open API: ${status.apis.open.map((p) => `<code>${p}</code>`).join(', ')}.
Client API under <code>/api/</code>, admin API under <code>/admin/</code>.</p>
<p>See the README for a walkthrough.</p>`,
    );
  });
}
