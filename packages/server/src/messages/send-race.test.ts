import { expect, test } from 'vitest';
import {
  grant,
  quickRecipients,
  type Recipient,
  remaining,
  type SendAnswer,
  send,
  shippedData,
  useSendWorld,
} from './test-support/send.js';

/** Concurrent sends: grants are spent exactly once, never below zero, and every success is stored. */

const w = useSendWorld({ alice: false, slowDeliver: true });

const sendTo = (user: Recipient) =>
  send(w.s, w.token, { touser: user.openid, template_id: w.tmpl, data: shippedData() });

function tally(answers: SendAnswer[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const a of answers) counts.set(a.errcode, (counts.get(a.errcode) ?? 0) + 1);
  return counts;
}

test('1,000 users, 100 of them with one grant, 1,000 parallel sends: exactly 100 delivered', async () => {
  const users = await quickRecipients(w.s, w.app, 1000);
  const granted = users.filter((_, i) => i % 10 === 3);
  for (const u of granted) await grant(w.s, w.app, u, w.tmpl);

  const answers = await Promise.all(users.map(sendTo));

  const counts = tally(answers);
  expect(counts.get(0)).toBe(100);
  expect(counts.get(43101)).toBe(900);
  expect(counts.size).toBe(2);
  const grantedIds = new Set(granted.map((u) => u.openid));
  for (const [i, a] of answers.entries()) {
    expect(a.errcode).toBe(grantedIds.has(users[i]!.openid) ? 0 : 43101);
  }
  for (const u of granted) expect(await remaining(w.s, w.app, u, w.tmpl)).toBe(0);

  const msgids = new Set<bigint>();
  for (const [i, a] of answers.entries()) {
    if (a.errcode !== 0) continue;
    const stored = await w.s.ctx.store.messages.get(users[i]!.userId, a.msgid!);
    expect(stored?.msgid).toBe(a.msgid);
    msgids.add(a.msgid!);
  }
  expect(msgids.size).toBe(100);
  let total = 0;
  for (const u of users) total += (await w.s.ctx.store.messages.inbox(u.userId, 10)).length;
  expect(total).toBe(100);
});

test('one user with 100 grants, 1,000 sends in overlapping batches: never more than 100, never below 0', async () => {
  const [user] = await quickRecipients(w.s, w.app, 1);
  await grant(w.s, w.app, user!, w.tmpl, 100);

  const answers: SendAnswer[] = [];
  // Batches of 1 to 9 sends in parallel, one batch after another: within a batch they race for the
  // openid's lock (43108), and there are more batches than grants, so the grants run out (43101).
  for (let sent = 0, size = 1; sent < 1000; sent += size, size = (size % 9) + 1) {
    const batch = Array.from({ length: Math.min(size, 1000 - sent) }, () => sendTo(user!));
    answers.push(...(await Promise.all(batch)));
    if (sent % 50 === 0) await new Promise((r) => setTimeout(r, 1));
  }

  const counts = tally(answers);
  const ok = counts.get(0) ?? 0;
  expect(answers).toHaveLength(1000);
  expect(ok + (counts.get(43101) ?? 0) + (counts.get(43108) ?? 0)).toBe(1000);
  expect(ok).toBeLessThanOrEqual(100);
  // Each batch's first send finds the lock free, and there are about 200 batches: all 100 grants go.
  expect(ok).toBe(100);
  expect(counts.get(43108) ?? 0).toBeGreaterThan(0);
  expect(counts.get(43101) ?? 0).toBeGreaterThan(0);
  expect(await remaining(w.s, w.app, user!, w.tmpl)).toBe(100 - ok);
  const inbox = await w.s.ctx.store.messages.inbox(user!.userId, 1000);
  expect(inbox).toHaveLength(ok);
  expect(new Set(inbox.map((m) => m.msgid))).toEqual(
    new Set(answers.filter((a) => a.errcode === 0).map((a) => a.msgid)),
  );
});
