import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, createLedgerMirror, MemoryLedgerStore } from '@beckon/sdk';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { signUpRecipient } from '../../../packages/server/src/messages/test-support/send.js';
import {
  ADMIN_TOKEN,
  addLibraryTemplate,
  testServer,
} from '../../../packages/server/src/test-support/harness.js';
import { ReminderSchedule } from '../src/reminders.js';

/*
 * The reminder schedule against a real Beckon whose daily send cap is used up (45009, a transient answer):
 * passes run at chosen times (`runDue(now)`), so the backoff is observed without waiting for it.
 */

let s;
let dataDir;
beforeEach(async () => {
  s = await testServer();
  await s.app.listen({ host: '127.0.0.1', port: 0 });
  dataDir = mkdtempSync(join(tmpdir(), 'beckon-reminders-'));
});
afterEach(async () => {
  await s.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const setSendCap = async (app, dailySendCap) => {
  const res = await s.app.inject({
    method: 'PUT',
    url: `/admin/apps/${app.appid}/send-cap`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: { dailySendCap },
  });
  expect(res.statusCode, res.body).toBe(200);
};

test('a transient failure (45009) is tried again after a doubling backoff, kept across a restart', async () => {
  const app = await s.newApp();
  const tmpl = await addLibraryTemplate(s, app, 1302, [1, 2, 3, 4]);
  const alice = await signUpRecipient(s, app, 'alice');
  const client = createClient({
    appId: app.appid,
    appSecret: app.secret,
    baseUrl: `http://127.0.0.1:${s.app.server.address().port}`,
  });
  const mirror = createLedgerMirror({ client, store: new MemoryLedgerStore() });
  for (let i = 0; i < 2; i++) {
    const res = await s.app.inject({
      method: 'POST',
      url: `/api/apps/${app.appid}/subscriptions`,
      headers: { authorization: `Bearer ${alice.token}` },
      payload: { tmplIds: [tmpl], accepted: [tmpl] },
    });
    await mirror.reportAccepted(alice.openid, res.json());
  }
  const data = {
    thing1: { value: '剪发' },
    time2: { value: '2025-05-01 15:00' },
    thing3: { value: '人民路店' },
    thing4: { value: '请准时到店' },
  };
  // Today's one send is used up.
  await setSendCap(app, 1);
  await mirror.sendWithQuota({ touser: alice.openid, template_id: tmpl, data });

  const path = join(dataDir, 'reminders.json');
  const warnings = [];
  const open = () =>
    new ReminderSchedule({
      path,
      pollMs: 1000,
      retryBaseMs: 1000,
      log: { warn: (m) => warnings.push(m) },
      send: (r) => mirror.sendWithQuota({ touser: r.openid, template_id: tmpl, data: r.data }),
    });
  let schedule = open();
  await schedule.load();
  const t = Date.now();
  const { id } = await schedule.add({ openid: alice.openid, at: t, data });
  const state = () => {
    const r = schedule.get(id);
    return { status: r.status, attempts: r.attempts, nextAttemptAt: r.nextAttemptAt };
  };

  await schedule.runDue(t);
  expect(state()).toEqual({ status: 'pending', attempts: 1, nextAttemptAt: t + 1000 });
  expect(schedule.get(id).error).toMatch(/^45009 /);
  await schedule.runDue(t + 999); // waiting out the backoff: not tried
  expect(state().attempts).toBe(1);
  await schedule.runDue(t + 1000);
  expect(state()).toEqual({ status: 'pending', attempts: 2, nextAttemptAt: t + 1000 + 2000 });
  await schedule.runDue(t + 2999);
  expect(state().attempts).toBe(2);
  await schedule.runDue(t + 3000);
  expect(state()).toEqual({ status: 'pending', attempts: 3, nextAttemptAt: t + 3000 + 4000 });

  // A restart reads the backoff from the file: it is not cut short.
  await schedule.stop();
  const saved = JSON.parse(readFileSync(path, 'utf8')).reminders[0];
  expect(saved).toMatchObject({ id, status: 'pending', attempts: 3, nextAttemptAt: t + 7000 });
  schedule = open();
  await schedule.load();
  await schedule.runDue(t + 6999);
  expect(state().attempts).toBe(3);

  // The cap lifted: the next try after the backoff sends it, spending the grant the failures refunded.
  await setSendCap(app, null);
  expect(await mirror.count(alice.openid, tmpl)).toBe(1);
  await schedule.runDue(t + 7000);
  expect(state()).toEqual({ status: 'sent', attempts: 4, nextAttemptAt: undefined });
  expect(schedule.get(id).error).toBeUndefined();
  expect(await mirror.count(alice.openid, tmpl)).toBe(0);
  expect(await s.ctx.store.messages.inbox(alice.userId, 10)).toHaveLength(2);
  expect(warnings).toHaveLength(3);
  await schedule.stop();
});

test('the backoff is capped, and a reminder is given up after its last try', async () => {
  const path = join(dataDir, 'reminders.json');
  // The platform unreachable: a port that was just freed.
  const gone = createServer();
  await new Promise((resolve) => gone.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${gone.address().port}/cgi-bin/message/subscribe/send`;
  await new Promise((resolve) => gone.close(resolve));
  let calls = 0;
  const schedule = new ReminderSchedule({
    path,
    pollMs: 1000,
    retryBaseMs: 1000,
    retryMaxMs: 5000,
    log: { warn() {} },
    send: async () => {
      calls++;
      const res = await fetch(url, { method: 'POST' });
      return BigInt((await res.json()).msgid);
    },
  });
  await schedule.load();
  const { id } = await schedule.add({ openid: 'o', at: 0, data: {} });
  const waits = [];
  let now = 0;
  for (;;) {
    await schedule.runDue(now);
    const r = schedule.get(id);
    if (r.status !== 'pending') break;
    waits.push(r.nextAttemptAt - now);
    now = r.nextAttemptAt;
  }
  expect(waits).toEqual([1000, 2000, 4000, 5000, 5000, 5000, 5000]);
  expect(schedule.get(id)).toMatchObject({ status: 'failed', attempts: 8 });
  expect(schedule.get(id).nextAttemptAt).toBeUndefined();
  expect(calls).toBe(8);
  await schedule.stop();
});
