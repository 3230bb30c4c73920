// Calling on /ws: invite → INVITED at the invitee, one call at a time, with 5,000 idle users logged in on the
// same server; the ceiling is a raw `ws` relay (bench/ws-relay.js) with as many idle sockets, measured in the
// same run. And the server's memory per connected (logged-in) user, from its RSS before and after the logins.
import { execSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { genUserSig } from '@beckon/protocol/node';
import WebSocket from 'ws';
import { adminPost, fmt, percentiles, rssMiB, startBeckon, startWsRelay } from './lib.js';

const IDLE_USERS = 5_000;
const WARM_UP = 200;
const SAMPLES = 2_000;
/** Sockets opened (and logged in) at once: well under the listen backlog. */
const OPENING = 200;
/** Each side holds one descriptor per socket; leave room for the rest of the process. */
const SPARE_FDS = 256;
const SETTLE_MS = 1_000;

/** How many idle users fit under this shell's open-file limit (raised nothing: one process opens them all). */
function idleUsersThatFit() {
  const limit = Number(execSync('ulimit -n', { shell: '/bin/sh', encoding: 'utf8' }).trim());
  if (Number.isNaN(limit) || limit >= IDLE_USERS + SPARE_FDS) return IDLE_USERS;
  console.log(`ulimit -n is ${limit}: ${limit - SPARE_FDS} idle users instead of ${fmt(IDLE_USERS)}`);
  return Math.max(0, limit - SPARE_FDS);
}

/** One socket speaking request/result with ids; signals (or relayed messages) go to `onMessage`. */
class Line {
  nextId = 1;
  pending = new Map();
  /** (frame, receivedAt) for every frame that is not a result. */
  onMessage = () => {};

  static async open(url) {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new Line(ws);
  }

  constructor(ws) {
    this.ws = ws;
    ws.on('error', () => {});
    ws.on('message', (data) => {
      const receivedAt = performance.now();
      const frame = JSON.parse(String(data));
      if (frame.type !== 'result') return this.onMessage(frame, receivedAt);
      const p = this.pending.get(frame.id);
      this.pending.delete(frame.id);
      if (frame.code === 0) p?.resolve(frame.data);
      else p?.reject(new Error(`${frame.code} ${frame.message}`));
    });
  }

  request(type, fields) {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ type, id, ...fields }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${type}: no result within 10 s`)), 10_000);
      const settle = (f) => (v) => {
        clearTimeout(timer);
        f(v);
      };
      this.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
    });
  }

  /** The next non-result frame `match` accepts, with its arrival time; rejects after 5 s. */
  next(match) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no frame within 5 s')), 5_000);
      this.onMessage = (frame, receivedAt) => {
        if (!match(frame)) return;
        clearTimeout(timer);
        this.onMessage = () => {};
        resolve({ frame, receivedAt });
      };
    });
  }
}

/** `open(i)` for i in 0…n-1, `OPENING` at a time. */
async function openMany(n, open) {
  const lines = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      lines[i] = await open(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(OPENING, n) }, worker));
  return lines;
}

/** Sample `once` WARM_UP + SAMPLES times, one at a time; p50/p99 of the measured ones, in ms. */
async function sampled(once) {
  for (let i = 0; i < WARM_UP; i++) await once(i);
  const samples = [];
  for (let i = 0; i < SAMPLES; i++) samples.push(await once(WARM_UP + i));
  return percentiles(samples);
}

/** Resident memory growth over opening the idle sockets, in KiB per socket (after a settle each side). */
async function memoryPerSocket(pid, idleUsers, open) {
  await sleep(SETTLE_MS);
  const before = rssMiB(pid);
  const lines = await openMany(idleUsers, open);
  await sleep(SETTLE_MS);
  const after = rssMiB(pid);
  return { lines, kib: idleUsers ? ((after - before) * 1024) / idleUsers : Number.NaN, before, after };
}

const closeAll = (lines) => {
  for (const line of lines) line.ws.terminate();
};

/** The raw relay: A's message to B, measured at B; `idleUsers` sockets that said hello and stay open. */
async function rawRelay(idleUsers) {
  const relay = await startWsRelay();
  const lines = [];
  try {
    const hello = async (name) => {
      const line = await Line.open(relay.url);
      lines.push(line);
      await line.request('hello', { name });
      return line;
    };
    const a = await hello('a');
    const b = await hello('b');
    const memory = await memoryPerSocket(relay.pid, idleUsers, (i) => hello(`idle${i}`));
    const latency = await sampled(async (n) => {
      const arrived = b.next((m) => m.n === n);
      const t0 = performance.now();
      a.ws.send(JSON.stringify({ to: 'b', n, event: 'onInvited' }));
      return (await arrived).receivedAt - t0;
    });
    return { ...latency, memory };
  } finally {
    closeAll(lines);
    await relay.stop();
  }
}

/** Beckon: alice invites bob, bob's INVITED is the sample; alice cancels and both settle before the next. */
async function beckonInvites(idleUsers) {
  const beckon = await startBeckon();
  const lines = [];
  try {
    const { sdkAppId, rtcSecretKey: secretKey } = await adminPost(beckon, '/admin/apps', {
      name: 'Bench',
      type: 'miniprogram',
    });
    const wsUrl = `${beckon.url.replace('http', 'ws')}/ws`;
    const login = async (userId) => {
      const line = await Line.open(wsUrl);
      lines.push(line);
      await line.request('call.login', {
        sdkAppId,
        userId,
        userSig: genUserSig({ sdkAppId, secretKey, userId }),
      });
      return line;
    };
    const alice = await login('alice');
    const bob = await login('bob');
    const memory = await memoryPerSocket(beckon.pid, idleUsers, (i) => login(`idle${i}`));
    const latency = await sampled(async () => {
      const invited = bob.next((f) => f.type === 'call.signal' && f.signal.event === 'onInvited');
      const t0 = performance.now();
      const receipt = alice.request('call.invite', { invite: { userIDList: ['bob'], type: 1 } });
      const { receivedAt } = await invited;
      const { inviteID } = await receipt;
      const cancelled = bob.next((f) => f.type === 'call.signal' && f.signal.event === 'onCallingCancel');
      await alice.request('call.cancel', { inviteID });
      await cancelled;
      return receivedAt - t0;
    });
    return { ...latency, memory };
  } finally {
    closeAll(lines);
    await beckon.stop();
  }
}

export async function callsBench() {
  const idleUsers = idleUsersThatFit();
  const raw = await rawRelay(idleUsers);
  const beckon = await beckonInvites(idleUsers);
  const ms = (n) => fmt(n, 3);
  console.log(
    `ceiling  raw \`ws\` relay (one process, ${fmt(idleUsers)} idle sockets), A → B, ${fmt(SAMPLES)} messages one at a time: p50 ${ms(raw.p50)} ms, p99 ${ms(raw.p99)} ms; ${fmt(raw.memory.kib, 1)} KiB RSS per socket`,
  );
  console.log(
    `invite → INVITED at the invitee (${fmt(idleUsers)} idle users logged in, ${fmt(SAMPLES)} invites one at a time, each cancelled): p50 ${ms(beckon.p50)} ms = ${fmt(beckon.p50 / raw.p50, 1)}× raw relay, p99 ${ms(beckon.p99)} ms = ${fmt(beckon.p99 / raw.p99, 1)}× raw relay`,
  );
  console.log(
    `memory per connected user (server RSS ${fmt(beckon.memory.before)} → ${fmt(beckon.memory.after)} MiB over ${fmt(idleUsers)} logins): ${fmt(beckon.memory.kib, 1)} KiB = ${fmt(beckon.memory.kib / raw.memory.kib, 1)}× raw relay's per socket`,
  );
}
