// The send pipeline: subscribe-message send throughput and latency at 64 connections for 10 s (three runs),
// each as a ratio of Fastify's hello world measured right before and after it; and send-to-card latency on
// an open WebSocket.
import autocannon from 'autocannon';
import WebSocket from 'ws';
import { fmt, percentiles, startBeckon, startHelloWorld } from './lib.js';

const CONNECTIONS = 64;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const USERS = 256; // 4 per connection, each connection's own: no two requests in flight share an openid (43108)
const LATENCY_SAMPLES = 500;
/** Send runs, each between two hello worlds. */
const SEND_RUNS = Number(process.env.BENCH_SEND_RUNS ?? 3);
/** Unmeasured load before each server's first run, as bench/lib.js's load() does: both get their JIT warm. */
const WARM_UP_SECONDS = 2;

const json = { 'content-type': 'application/json' };

async function call(url, { method = 'GET', headers = {}, body } = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...json, ...headers },
    body: body && JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/**
 * An app with a long-term template (it sends while active, so a grant serves a whole run) and `userCount`
 * users (`bench<i>`, password 'bench password'), each signed in and subscribed.
 */
export async function setUp(beckon, userCount = USERS) {
  const B = beckon.url;
  const admin = { authorization: `Bearer ${beckon.adminToken}` };
  const app = await call(`${B}/admin/apps`, {
    method: 'POST',
    headers: admin,
    body: { name: 'Bench', type: 'miniprogram' },
  });
  const { access_token: token } = await call(
    `${B}/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`,
  );
  const added = await call(`${B}/wxaapi/newtmpl/addtemplate?access_token=${token}`, {
    method: 'POST',
    body: { tid: '1404', kidList: [1, 2, 3], sceneDesc: 'bench' },
  });
  const template = added.priTmplId;
  const users = await Promise.all(
    Array.from({ length: userCount }, async (_, i) => {
      const username = `bench${i}`;
      const password = 'bench password';
      await call(`${B}/api/accounts`, { method: 'POST', body: { username, password } });
      const { token: session } = await call(`${B}/api/sessions`, {
        method: 'POST',
        body: { username, password },
      });
      const auth = { authorization: `Bearer ${session}` };
      const { code } = await call(`${B}/api/apps/${app.appid}/login`, { method: 'POST', headers: auth });
      const { openid } = await call(
        `${B}/sns/jscode2session?appid=${app.appid}&secret=${app.secret}&js_code=${code}&grant_type=authorization_code`,
      );
      await call(`${B}/api/apps/${app.appid}/subscriptions`, {
        method: 'POST',
        headers: auth,
        body: { tmplIds: [template], accepted: [template] },
      });
      return { openid, session, username, password };
    }),
  );
  const sendUrl = `${B}/cgi-bin/message/subscribe/send?access_token=${token}`;
  const body = (openid, n) =>
    JSON.stringify({
      touser: openid,
      template_id: template,
      data: {
        thing1: { value: '阿莫西林胶囊' },
        thing2: { value: `第${n}次提醒` },
        time3: { value: '08:00' },
      },
    });
  return { users, sendUrl, body };
}

async function sendThroughput({ users, sendUrl, body }, duration = SECONDS) {
  const refused = new Map();
  const onResponse = (_status, text) => {
    if (text.startsWith('{"errcode":0,')) return;
    const code = /"errcode":(-?\d+)/.exec(text)?.[1] ?? 'unparsed';
    refused.set(code, (refused.get(code) ?? 0) + 1);
  };
  // Each connection cycles through its own users (c, c + 64, ...), so no two requests in flight share an
  // openid (43108), and every request is built once: the load generator spends its CPU on sending.
  const { pathname, search } = new URL(sendUrl);
  let next = 0;
  const result = await autocannon({
    url: sendUrl,
    connections: CONNECTIONS,
    duration,
    setupClient: (client) => {
      const c = next++ % CONNECTIONS; // a connection made again takes the users of one that went
      const mine = users.filter((_, i) => i % CONNECTIONS === c);
      client.setRequests(
        mine.map((u, i) => ({
          method: 'POST',
          path: pathname + search,
          headers: json,
          body: body(u.openid, i),
          onResponse,
        })),
      );
    },
  });
  if (result.non2xx + result.errors + result.timeouts > 0) throw new Error('send bench: failed requests');
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    refused,
    total: result.requests.total,
  };
}

async function sendToCard({ users, sendUrl, body }) {
  const { openid, session } = users[0];
  const ws = new WebSocket(`${sendUrl.split('/cgi-bin')[0].replace('http', 'ws')}/ws?token=${session}`);
  const arrivals = [];
  await new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data));
      if (frame.type === 'hello') resolve();
      if (frame.type === 'inbox.card') arrivals.shift()?.(performance.now());
    });
  });
  const samples = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const arrived = new Promise((resolve) => arrivals.push(resolve));
    const t0 = performance.now();
    const res = await fetch(sendUrl, { method: 'POST', headers: json, body: body(openid, i) });
    const text = await res.text();
    if (!text.startsWith('{"errcode":0,')) throw new Error(`send failed: ${text}`);
    samples.push((await arrived) - t0);
  }
  ws.close();
  return percentiles(samples);
}

/** Fastify's hello world at the same load: run before and after each send run, as the machine drifts. */
async function helloWorld() {
  const hello = await startHelloWorld();
  try {
    const options = { url: `${hello.url}/`, connections: CONNECTIONS };
    await autocannon({ ...options, duration: WARM_UP_SECONDS });
    const r = await autocannon({ ...options, duration: SECONDS });
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
  } finally {
    await hello.stop();
  }
}

/**
 * Send runs with a hello world before, between and after them: each run is divided by the mean of the hello
 * worlds on either side of it. On a shared 2-core machine one pair can drift by a third; several say more.
 */
export async function sendBench() {
  const ceilings = [await helloWorld()];
  const sends = [];
  const beckon = await startBeckon();
  let card;
  try {
    const setup = await setUp(beckon);
    await sendThroughput(setup, WARM_UP_SECONDS);
    for (let i = 0; i < SEND_RUNS; i++) {
      sends.push(await sendThroughput(setup));
      ceilings.push(await helloWorld());
    }
    card = await sendToCard(setup);
  } finally {
    await beckon.stop();
  }
  const ratios = sends.map((send, i) => {
    const [before, after] = [ceilings[i], ceilings[i + 1]];
    const ceiling = (before.rps + after.rps) / 2;
    const ratio = send.rps / ceiling;
    console.log(
      `run ${i + 1}: ceiling  Fastify hello world, ${CONNECTIONS} connections, ${SECONDS} s, before and after: ${fmt(before.rps)} and ${fmt(after.rps)} req/s (mean ${fmt(ceiling)}), p99 ${before.p99} and ${after.p99} ms`,
    );
    console.log(
      `run ${i + 1}: send (POST /cgi-bin/message/subscribe/send, ${USERS} users, long-term grants): ${fmt(send.rps)} req/s = ${fmt(ratio, 3)} × ceiling (target ≥ 0.25); p50 ${send.p50} ms, p99 ${send.p99} ms (target ≤ 25 ms); ${fmt(send.total)} sends, not ok: ${[...send.refused].map(([c, k]) => `${k} × ${c}`).join(', ') || 'none'}`,
    );
    return ratio;
  });
  if (ratios.length > 1) {
    const sorted = [...ratios].sort((a, b) => a - b);
    console.log(
      `send over ${ratios.length} runs: ${sorted.map((r) => fmt(r, 3)).join(', ')} × ceiling (lowest first; target ≥ 0.25); p99 at most ${Math.max(...sends.map((s) => s.p99))} ms`,
    );
  }
  console.log(
    `send-to-card on an open WebSocket (${LATENCY_SAMPLES} sends one at a time): p50 ${fmt(card.p50, 1)} ms, p99 ${fmt(card.p99, 1)} ms (target p99 ≤ 50 ms)`,
  );
}
