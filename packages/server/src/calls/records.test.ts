import { afterEach, describe, expect, test } from 'vitest';
import { decodeCursor, encodeCursor, getCallRecord, listCallRecords } from './records.js';
import { Phones } from './test-support/phones.js';

let p: Phones;
afterEach(() => p.close());

const T = (p: Phones) => Math.floor(p.ctx.clock.now() / 1000);

describe('call records and webhooks', () => {
  test('one call with every result kind: the record and the webhooks say who did what', async () => {
    p = await Phones.open();
    const s = Object.fromEntries(
      await Promise.all(
        ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina', 'hank'].map(async (u) => [
          u,
          await p.login(u),
        ]),
      ),
    ) as Record<string, string>;
    const busy = await p.service.invite(s.gina!, { userIDList: ['frank'], type: 1 });
    await p.service.accept(s.frank!, busy.inviteID);

    const start = T(p);
    const r = await p.service.invite(s.alice!, {
      userIDList: ['bob', 'carol', 'erin', 'frank'],
      type: 2,
      roomID: 42,
    });
    await p.service.accept(s.bob!, r.inviteID);
    await p.service.reject(s.carol!, r.inviteID);
    const byAlice = await p.service.invite(s.alice!, { userIDList: ['dave'], type: 2, callId: r.callId });
    const byBob = await p.service.invite(s.bob!, { userIDList: ['dave'], type: 2, callId: r.callId });
    expect(byBob.invitees).toEqual([{ userID: 'dave', state: 'pending' }]);
    await p.service.accept(s.dave!, byBob.inviteID);
    const toHank = await p.service.invite(s.alice!, { userIDList: ['hank'], type: 2, callId: r.callId });
    await p.service.cancel(s.alice!, toHank.inviteID);
    p.ctx.clock.advance(30_000);
    await p.service.sweep();
    p.ctx.clock.advance(15_000);
    await p.service.hangup(s.alice!);
    await p.service.hangup(s.dave!);

    const call = await p.ctx.store.calls.getCall(r.callId);
    expect(call?.invitees.map((i) => [i.userId, i.invitedBy, i.result])).toEqual([
      ['bob', 'alice', 'answered'],
      ['carol', 'alice', 'rejected'],
      ['erin', 'alice', 'no_answer'],
      ['frank', 'alice', 'busy'],
      ['dave', 'alice', 'answered_elsewhere'],
      ['dave', 'bob', 'answered'],
      ['hank', 'alice', 'cancelled'],
    ]);
    expect(call).toMatchObject({ caller: 'alice', callType: 2, roomId: 42, duration: 45, endedBy: 'dave' });
    expect(call?.invitees.find((i) => i.inviteId === byAlice.inviteID)?.result).toBe('answered_elsewhere');

    const hooks = (await p.webhooks()).filter((h) => h.data.CallId === r.callId);
    expect(hooks.map((h) => [h.event, h.userId])).toEqual([
      ['call_invited_event', 'bob'],
      ['call_invited_event', 'carol'],
      ['call_invited_event', 'erin'],
      ['call_busy_event', 'frank'],
      ['call_answered_event', 'bob'],
      ['call_rejected_event', 'carol'],
      ['call_invited_event', 'dave'],
      ['call_invited_event', 'dave'],
      ['call_answered_event', 'dave'],
      ['call_invited_event', 'hank'],
      ['call_cancelled_event', 'hank'],
      ['call_no_answer_event', 'erin'],
      ['call_ended_event', 'alice'],
    ]);
    expect(hooks[3]?.data).toEqual({
      CallId: r.callId,
      RoomId: 42,
      CallType: 2,
      Caller: 'alice',
      GroupId: null,
      StartTime: start,
      InviteId: r.inviteID,
      Inviter: 'alice',
      Invitee: 'frank',
      Result: 'busy',
    });
    expect(hooks.at(-1)?.data).toMatchObject({
      EndTime: T(p),
      Duration: 45,
      Invitees: expect.arrayContaining([
        { UserId: 'erin', InviteId: r.inviteID, Inviter: 'alice', Result: 'no_answer' },
        { UserId: 'dave', InviteId: byAlice.inviteID, Inviter: 'alice', Result: 'answered_elsewhere' },
      ]),
    });

    const view = await getCallRecord(p.ctx, p.app.appid, r.callId);
    expect(view).toMatchObject({ status: 'ended', duration: 45, groupId: null, callType: 2 });
    await expect(getCallRecord(p.ctx, 'wx-other', r.callId)).rejects.toMatchObject({ code: 91001 });
  });

  test('no webhooks for an app without push; the record is kept all the same', async () => {
    p = await Phones.open({ push: false });
    const alice = await p.login('alice');
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    await p.service.cancel(alice, r.inviteID);
    expect(await p.webhooks()).toEqual([]);
    expect((await p.ctx.store.calls.getCall(r.callId))?.invitees[0]?.result).toBe('cancelled');
  });

  test('listing: newest first, pages by cursor, a time filter, bad input is 91000', async () => {
    p = await Phones.open();
    const alice = await p.login('alice');
    const t0 = p.ctx.clock.now();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
      await p.service.cancel(alice, r.inviteID);
      ids.push(r.callId);
      p.ctx.clock.advance(60_000);
    }
    const first = await listCallRecords(p.ctx, p.app.appid, { limit: 2 });
    expect(first.records.map((r) => r.callId)).toEqual([ids[4], ids[3]]);
    const second = await listCallRecords(p.ctx, p.app.appid, { limit: 2, cursor: first.next! });
    expect(second.records.map((r) => r.callId)).toEqual([ids[2], ids[1]]);
    const last = await listCallRecords(p.ctx, p.app.appid, { limit: 2, cursor: second.next! });
    expect(last).toMatchObject({ records: [{ callId: ids[0] }], next: null });

    const window = await listCallRecords(p.ctx, p.app.appid, {
      from: new Date(t0 + 60_000).toISOString(),
      to: t0 + 180_000,
    });
    expect(window.records.map((r) => r.callId)).toEqual([ids[2], ids[1]]);
    expect((await listCallRecords(p.ctx, 'wx-other', {})).records).toEqual([]);

    for (const bad of [{ limit: 0 }, { limit: 101 }, { cursor: 'nope' }, { from: 'yesterday' }])
      await expect(listCallRecords(p.ctx, p.app.appid, bad)).rejects.toMatchObject({ code: 91000 });
    expect(decodeCursor(encodeCursor({ startedAt: t0, callId: ids[0]! }))).toEqual({
      startedAt: t0,
      callId: ids[0],
    });
  });
});
