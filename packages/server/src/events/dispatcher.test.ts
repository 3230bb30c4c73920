import { describe, expect, test } from 'vitest';
import type { PushDeliveryRecord } from '../store/port.js';
import { defaultBackoff, PushDispatcher } from './dispatcher.js';
import type { Received } from './test-support/receiver.js';
import { usePushWorld } from './test-support/world.js';

/** Delivery: at least once, in order per user, retried with backoff, given up, leased, in parallel. */

const w = usePushWorld({ timeoutMs: 500 });

const log = () => w.s.ctx.store.push.deliveries(w.app.appid, { limit: 100 });
const byId = async () => new Map((await log()).map((r) => [r.id, r]));

/** A call event of `userId` carrying `n`, straight into the outbox. */
async function put(n: number, userId = w.alice.userId): Promise<PushDeliveryRecord> {
  const row = await w.s.ctx.store.push.enqueue({
    appid: w.app.appid,
    userId,
    event: 'call_invited_event',
    data: { n },
    at: w.s.clock.now(),
  });
  if (!row) throw new Error('push is off');
  return row;
}
const n = (r: Received) => (JSON.parse(r.body) as { n?: number }).n;

describe('retries', () => {
  test('a receiver that fails twice then answers success: delivered on attempt 3; the next row waited', async () => {
    await w.enable();
    await w.consent.subscribe(w.app.appid, { tmplIds: [w.a], accepted: [w.a] });
    const { msgid } = await w.sendToAlice();
    const [sent, popup] = await log();
    const answers = [{ status: 500, body: 'oops' }, { body: 'not yet' }, { body: 'success' }];
    let posts = 0;
    w.receiver.answer((r) =>
      r.method === 'GET' ? { body: r.query.echostr } : (answers[posts++] ?? { body: '' }),
    );

    await w.dispatcher.drain();
    expect(w.receiver.posts()).toHaveLength(1);
    let rows = await byId();
    expect(rows.get(popup!.id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatus: 500,
      lastError: 'HTTP 500 "oops": not "success" or empty',
      nextAttemptAt: w.s.clock.now() + 5_000,
    });
    expect(rows.get(sent!.id)).toMatchObject({ status: 'pending', attempts: 0 });

    // Not due yet: nothing goes, and the sent event still waits behind the popup.
    w.s.clock.advance(4_999);
    await w.dispatcher.drain();
    expect(w.receiver.posts()).toHaveLength(1);

    w.s.clock.advance(1);
    await w.dispatcher.drain();
    expect(w.receiver.posts()).toHaveLength(2);
    expect((await byId()).get(popup!.id)).toMatchObject({
      attempts: 2,
      lastStatus: 200,
      lastError: 'HTTP 200 "not yet": not "success" or empty',
      nextAttemptAt: w.s.clock.now() + 10_000,
    });

    w.s.clock.advance(10_000);
    await w.dispatcher.drain();
    const events = w.jsonPosts().map((p) => p.Event);
    expect(events).toEqual([
      'subscribe_msg_popup_event',
      'subscribe_msg_popup_event',
      'subscribe_msg_popup_event',
      'subscribe_msg_sent_event',
    ]);
    expect(w.jsonPosts()[3]!.List).toMatchObject({ MsgID: msgid!.toString() });
    rows = await byId();
    expect(rows.get(popup!.id)).toMatchObject({
      status: 'delivered',
      attempts: 3,
      lastStatus: 200,
      lastError: null,
      deliveredAt: w.s.clock.now(),
      nextAttemptAt: null,
    });
    // The empty answer counts as accepted too.
    expect(rows.get(sent!.id)).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200 });
  });

  test('a retrying user does not hold up another user', async () => {
    await w.enable();
    const bob = `${w.alice.userId}-bob`;
    await put(1);
    await put(2);
    await put(3, bob);
    await put(4, bob);
    w.receiver.answer((r) => (n(r) === 1 ? { status: 503 } : { body: 'success' }));
    await w.dispatcher.drain();
    expect(w.receiver.posts().map(n).sort()).toEqual([1, 3, 4]);
    expect((await log()).map((r) => [JSON.stringify(r.data), r.status])).toEqual([
      ['{"n":4}', 'delivered'],
      ['{"n":3}', 'delivered'],
      ['{"n":2}', 'pending'],
      ['{"n":1}', 'pending'],
    ]);
  });

  test('backoff doubles from 5 s to at most 10 min; after 12 attempts the row fails and the next goes', async () => {
    await w.enable();
    const first = await put(1);
    await put(2);
    w.receiver.answer((r) => (n(r) === 1 ? { status: 500 } : { body: 'success' }));
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 12; attempt++) {
      await w.dispatcher.drain();
      const row = (await byId()).get(first.id)!;
      expect(row.attempts).toBe(attempt);
      if (attempt < 12) {
        waits.push(row.nextAttemptAt! - w.s.clock.now());
        w.s.clock.set(row.nextAttemptAt!);
      }
    }
    expect(waits).toEqual([5, 10, 20, 40, 80, 160, 320, 600, 600, 600, 600].map((s) => s * 1000));
    expect(waits.map((_, i) => defaultBackoff(i + 1))).toEqual(waits);
    expect((await byId()).get(first.id)).toMatchObject({
      status: 'failed',
      attempts: 12,
      nextAttemptAt: null,
      lastStatus: 500,
    });
    expect(w.receiver.posts().map(n)).toEqual([...Array(12).fill(1), 2]);
    expect((await log())[0]).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  test('no answer in time, a cut connection and an unreachable URL are failed attempts', async () => {
    await w.enable();
    const row = await put(1);
    w.receiver.answer(() => 'hang');
    await w.dispatcher.drain();
    expect((await byId()).get(row.id)).toMatchObject({
      attempts: 1,
      lastStatus: null,
      lastError: 'no answer within 0.5 s',
    });
    w.receiver.answer(() => 'drop');
    w.s.clock.advance(5_000);
    await w.dispatcher.drain();
    expect((await byId()).get(row.id)).toMatchObject({ attempts: 2, lastStatus: null, status: 'pending' });
    await w.receiver.close();
    w.s.clock.advance(10_000);
    await w.dispatcher.drain();
    const after = (await byId()).get(row.id)!;
    expect(after).toMatchObject({ attempts: 3, lastStatus: null, status: 'pending' });
    expect(after.lastError).toContain('ECONNREFUSED');
  });

  test('only 2xx with an empty or "success" body is accepted', async () => {
    await w.enable();
    const cases: [{ status?: number; body?: string }, boolean][] = [
      [{ status: 200, body: 'success' }, true],
      [{ status: 200, body: ' success\n' }, true],
      [{ status: 204 }, true],
      [{ status: 200, body: 'ok' }, false],
      [{ status: 302, body: '' }, false],
      [{ status: 404, body: 'success' }, false],
    ];
    for (const [i, [reply, accepted]] of cases.entries()) {
      const row = await put(i, `user-${i}`);
      w.receiver.answer(() => reply);
      await w.dispatcher.drain();
      expect((await byId()).get(row.id)?.status, JSON.stringify(reply)).toBe(
        accepted ? 'delivered' : 'pending',
      );
    }
  });
});

describe('ordering, concurrency and leases', () => {
  test('several users in parallel, at most `concurrency` at once, each user in order', async () => {
    await w.enable();
    const dispatcher = new PushDispatcher(w.s.ctx, { concurrency: 3 });
    for (let i = 0; i < 4; i++) for (let u = 0; u < 5; u++) await put(i, `user-${u}`);
    let open = 0;
    let most = 0;
    w.receiver.answer(() => {
      open++;
      most = Math.max(most, open);
      setTimeout(() => open--, 40);
      return { body: 'success', delayMs: 40 };
    });
    const started = Date.now();
    await dispatcher.drain();
    const took = Date.now() - started;
    expect(w.receiver.posts()).toHaveLength(20);
    expect(most).toBe(3);
    // 20 rows of 40 ms, 3 at a time: far less than one after another.
    expect(took).toBeLessThan(20 * 40);
    expect((await log()).every((r) => r.status === 'delivered')).toBe(true);
    // Per user, the receiver saw 0, 1, 2, 3 in that order.
    const seen = new Map<string, number[]>();
    for (const p of w.receiver.posts()) {
      const body = JSON.parse(p.body) as { FromUserName: string; n: number };
      seen.set(body.FromUserName, [...(seen.get(body.FromUserName) ?? []), body.n]);
    }
    expect([...seen.values()]).toEqual(Array(5).fill([0, 1, 2, 3]));
  });

  test('two dispatchers on one store never send the same row, and keep each user in order', async () => {
    await w.enable();
    const other = new PushDispatcher(w.s.ctx, { concurrency: 4 });
    const mine = new PushDispatcher(w.s.ctx, { concurrency: 4 });
    for (let i = 0; i < 5; i++) for (let u = 0; u < 4; u++) await put(i, `user-${u}`);
    w.receiver.answer(() => ({ body: 'success', delayMs: 5 }));
    await Promise.all([mine.drain(), other.drain(), mine.drain()]);
    const bodies = w.receiver.posts().map((p) => JSON.parse(p.body) as { FromUserName: string; n: number });
    expect(bodies).toHaveLength(20);
    const seen = new Map<string, number[]>();
    for (const b of bodies) seen.set(b.FromUserName, [...(seen.get(b.FromUserName) ?? []), b.n]);
    expect([...seen.values()]).toEqual(Array(4).fill([0, 1, 2, 3, 4]));
    expect((await log()).every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
  });

  test('a row whose dispatcher died goes again once its lease runs out (at least once)', async () => {
    await w.enable();
    const row = await put(1);
    // A dispatcher claims it and dies before sending.
    const [claimed] = await w.s.ctx.store.push.claim('dead-node', w.s.clock.now(), 60_000, 10);
    expect(claimed?.id).toBe(row.id);
    await w.dispatcher.drain();
    expect(w.receiver.posts()).toEqual([]);
    w.s.clock.advance(60_000);
    await w.dispatcher.drain();
    expect(w.receiver.posts().map(n)).toEqual([1]);
    expect((await byId()).get(row.id)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  test('start polls on its own; stop waits for the delivery in flight', async () => {
    await w.enable();
    const polling = new PushDispatcher(w.s.ctx, { pollMs: 10 }).start();
    w.receiver.answer(() => ({ body: 'success', delayMs: 150 }));
    await put(1);
    for (let i = 0; i < 100 && w.receiver.posts().length === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(w.receiver.posts()).toHaveLength(1);
    await polling.stop();
    expect((await log())[0]).toMatchObject({ status: 'delivered' });
    await put(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(w.receiver.posts()).toHaveLength(1);
  });
});
