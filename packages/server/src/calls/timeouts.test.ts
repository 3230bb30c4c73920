import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { createApp } from '../apps/service.js';
import { testContext } from '../test-support/harness.js';
import { Phones } from './test-support/phones.js';

const root = mkdtempSync(join(tmpdir(), 'beckon-calls-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let p: Phones;
afterEach(() => p.close());

/** CALLING_TIMEOUT of alice's invitation `r` for one invitee, as both ends hear it. */
const callingTimeout = (r: { callId: unknown; inviteID: unknown }, userId: string) => ({
  event: 'onCallingTimeout',
  callId: r.callId,
  inviteID: r.inviteID,
  sponsor: 'alice',
  userIDList: [userId],
});

describe('server-enforced timeouts (spec §1.4 mapping)', () => {
  test('at the deadline a rung invitee and the inviter hear CALLING_TIMEOUT, then the 1:1 call ends', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const bob = await p.login('bob');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1, timeout: 10 });
    p.clearAll();
    p.ctx.clock.advance(9_999);
    expect(await p.service.sweep()).toBe(0);
    expect(p.take(alice)).toEqual([]);
    p.ctx.clock.advance(1);
    expect(await p.service.sweep()).toBe(1);
    expect(p.take(alice)).toEqual([
      callingTimeout(r, 'bob'),
      { event: 'onCallEnd', callId: r.callId, userID: 'bob', callEnd: 0 },
    ]);
    expect(p.take(bob)).toEqual([callingTimeout(r, 'bob')]);
    expect(await p.service.sweep()).toBe(0);
    expect((await p.ctx.store.calls.getCall(r.callId))?.invitees[0]?.result).toBe('no_answer');
  });

  test('an answer at or after the deadline is refused (8010) even before the sweep ran', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const bob = await p.login('bob');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    p.ctx.clock.advance(30_000);
    await expect(p.service.accept(bob, r.inviteID)).rejects.toMatchObject({ code: 8010 });
    expect(await p.service.sweep()).toBe(1);
  });

  test('an invitee whose browser closed after ringing still times out on time (CALLING_TIMEOUT)', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const bob = await p.login('bob');
    await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    await p.service.logout(bob);
    p.clearAll();
    p.ctx.clock.advance(30_000);
    expect(await p.service.sweep()).toBe(1);
    expect(p.events(alice)).toEqual(['onCallingTimeout', 'onCallEnd']);
  });

  test('NO_RESP only for invitees never rung, one per invitation naming them all; rung ones CALLING_TIMEOUT', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const bob = await p.login('bob');
    const r = await p.service.invite(alice, { userIDList: ['bob', 'carol', 'dave', 'erin'], type: 1 });
    p.ctx.clock.advance(10_000);
    // erin was offline at the invite but got INVITED on login: she was rung too.
    const erin = await p.login('erin');
    expect(p.events(erin)).toEqual(['onInvited']);
    p.clearAll();
    p.ctx.clock.advance(20_000);
    expect(await p.service.sweep()).toBe(4);
    expect(p.take(alice)).toEqual([
      callingTimeout(r, 'bob'),
      callingTimeout(r, 'erin'),
      {
        event: 'onNoResp',
        callId: r.callId,
        sponsor: 'alice',
        userID: 'carol',
        userIDList: ['carol', 'dave'],
      },
      { event: 'onCallEnd', callId: r.callId, userID: 'erin', callEnd: 0 },
    ]);
    expect(p.take(bob)).toEqual([callingTimeout(r, 'bob')]);
  });

  test('two nodes sweeping the same store fire each timeout once', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    await p.service.invite(alice, { userIDList: ['bob', 'carol'], type: 1 });
    const other = p.newService();
    p.clearAll();
    p.ctx.clock.advance(30_000);
    const [a, b] = await Promise.all([p.service.sweep(), other.sweep()]);
    expect(a + b).toBe(2);
    expect(p.take(alice)).toMatchObject([
      { event: 'onNoResp', userIDList: ['bob', 'carol'] },
      { event: 'onCallEnd' },
    ]);
  });

  test('a restarted server (new service, store reopened from its file) fires the overdue invitation', async () => {
    const file = join(root, 'restart', 'beckon.db');
    const first = testContext({ file });
    const app = await createApp(first, { name: 'Calls', type: 'miniprogram' });
    const before = new Phones(first, app);
    const alice = await before.login('alice');
    const r = await before.service.invite(alice, { userIDList: ['bob'], type: 2 });
    await before.close();

    const ctx = testContext({ file });
    ctx.clock.set(first.clock.now() + 45_000);
    p = new Phones(ctx, app);
    const bob = await p.login('bob');
    expect(p.take(bob)).toEqual([]);
    expect(await p.service.sweep()).toBe(1);
    expect(p.take(bob)).toEqual([callingTimeout(r, 'bob')]);
    expect(await ctx.store.calls.getCall(r.callId)).toMatchObject({
      endedAt: ctx.clock.now(),
      duration: 0,
      invitees: [{ userId: 'bob', result: 'no_answer' }],
    });
    expect(await p.service.sweep()).toBe(0);
  });
});

describe('offline invitees', () => {
  test('an invitee offline at the invite gets INVITED on login within the deadline, and can answer', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    p.ctx.clock.advance(29_000);
    const bob = await p.login('bob');
    expect(p.take(bob)).toMatchObject([{ event: 'onInvited', inviteID: r.inviteID, sponsor: 'alice' }]);
    await p.service.accept(bob, r.inviteID);
    expect(p.events(alice)).toEqual(['onUserAccept', 'onUserEnter']);
  });

  test('logging in after the deadline delivers nothing, swept or not', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    p.ctx.clock.advance(30_000);
    const bob = await p.login('bob');
    expect(p.take(bob)).toEqual([]);
    await p.service.sweep();
    const any = { callId: expect.any(String), inviteID: expect.any(String) };
    expect(p.take(bob)).toEqual([callingTimeout(any, 'bob')]);
    const carol = await p.login('carol');
    expect(p.take(carol)).toEqual([]);
  });
});
