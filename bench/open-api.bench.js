// The open API's hot path: a business route behind the access-token hook, and the WeChat-shaped error
// path, each as a ratio of Fastify's hello world measured in the same run.
import { adminPost, fmt, load, rssMiB, startBeckon, startHelloWorld } from './lib.js';

export async function openApiBench() {
  const hello = await startHelloWorld();
  const ceiling = await load({ url: `${hello.url}/` });
  await hello.stop();

  const beckon = await startBeckon();
  try {
    const app = await adminPost(beckon, '/admin/apps', { name: 'Bench', type: 'miniprogram' });
    const { access_token } = await (
      await fetch(
        `${beckon.url}/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`,
      )
    ).json();

    const rows = [
      [
        'business API, token checked (GET /wxaapi/newtmpl/getcategory)',
        { url: `${beckon.url}/wxaapi/newtmpl/getcategory?access_token=${access_token}` },
      ],
      [
        'private templates read (GET /wxaapi/newtmpl/gettemplate)',
        { url: `${beckon.url}/wxaapi/newtmpl/gettemplate?access_token=${access_token}` },
      ],
      [
        'error path, invalid token (40001 with rid)',
        { url: `${beckon.url}/wxaapi/newtmpl/getcategory?access_token=${'x'.repeat(136)}` },
      ],
    ];
    console.log(
      `ceiling  Fastify hello world: ${fmt(ceiling.rps)} req/s, p50 ${ceiling.p50} ms, p99 ${ceiling.p99} ms`,
    );
    for (const [name, options] of rows) {
      const r = await load(options);
      console.log(
        `${name}: ${fmt(r.rps)} req/s = ${fmt(r.rps / ceiling.rps, 2)} × ceiling; p50 ${r.p50} ms, p99 ${r.p99} ms`,
      );
    }
    console.log(`beckon resident memory after the runs: ${fmt(rssMiB(beckon.pid), 1)} MiB`);
  } finally {
    await beckon.stop();
  }
}
