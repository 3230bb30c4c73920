import { describe, expect, test } from 'vitest';
import type { AppRecord, InvitationRecord, NewCall, NewInvitation, Store } from '../port.js';
import { appRecord, type OpenStore, type StoreFixture, T0 } from './fixture.conformance.js';

const SEC = 1000;
let seq = 0;

export async function app(store: Store): Promise<AppRecord> {
  const a = appRecord();
  if (!(await store.apps.create(a))) throw new Error('fixture app not created');
  return a;
}

export function newCall(a: AppRecord, caller: string, over: Partial<NewCall> = {}): NewCall {
  return {
    callId: `call-${++seq}`,
    appid: a.appid,
    sdkAppId: a.sdkAppId,
    caller,
    callType: 2,
    roomId: 1000 + seq,
    groupId: null,
    startedAt: T0,
    ...over,
  };
}

export function invitation(
  callId: string,
  inviter: string,
  invitees: string[],
  over: Partial<NewInvitation> = {},
): NewInvitation {
  return {
    inviteId: `inv-${++seq}`,
    callId,
    inviter,
    inviterSessionId: `${inviter}#1`,
    invitees,
    groupId: null,
    cmd: 'videoCall',
    timeoutSeconds: 30,
    createdAt: T0,
    ...over,
  };
}

/** Starts a call from `caller` to `invitees` at `at`; returns its invitation. */
export async function started(store: Store, a: AppRecord, caller: string, invitees: string[], at = T0) {
  const call = newCall(a, caller, { startedAt: at });
  const out = await store.calls.start(call, invitation(call.callId, caller, invitees, { createdAt: at }));
  if (!out.ok) throw new Error(`start: ${out.reason}`);
  return out;
}

const states = (inv: InvitationRecord | undefined) => inv?.invitees.map((i) => [i.userId, i.state]);

/** The CallStore contract: busy decided in the transaction, compare-and-set answers, the end rule, records. */
export function callsConformance(
  f: StoreFixture,
  open: OpenStore,
  reopen?: (closed: Store) => Promise<Store> | Store,
): void {
  describe('calls', () => {
    test('start stores the call, the caller as member and the invitation exactly', async () => {
      const a = await app(f.store);
      const call = newCall(a, 'alice', { groupId: 'grp' });
      const inv = invitation(call.callId, 'alice', ['bob', 'carol'], { groupId: 'grp', timeoutSeconds: 20 });
      const out = await f.store.calls.start(call, inv);
      const expected: InvitationRecord = {
        inviteId: inv.inviteId,
        callId: call.callId,
        appid: a.appid,
        sdkAppId: a.sdkAppId,
        inviter: 'alice',
        groupId: 'grp',
        callType: 2,
        roomId: call.roomId,
        cmd: 'videoCall',
        timeoutSeconds: 20,
        createdAt: T0,
        deadline: T0 + 20 * SEC,
        status: 'pending',
        invitees: [
          { userId: 'bob', state: 'pending', settledAt: null, sessionId: null, rungAt: null },
          { userId: 'carol', state: 'pending', settledAt: null, sessionId: null, rungAt: null },
        ],
      };
      expect(out).toMatchObject({ ok: true, ended: false, invitation: expected });
      expect(await f.store.calls.getInvitation(inv.inviteId)).toEqual(expected);
      expect(await f.store.calls.getCall(call.callId)).toEqual({
        ...call,
        connectedAt: null,
        endedAt: null,
        duration: null,
        endedBy: null,
        members: [
          {
            userId: 'alice',
            sessionId: 'alice#1',
            joinedAt: T0,
            leftAt: null,
            nodeId: null,
            video: null,
            audio: null,
          },
        ],
        invitees: ['bob', 'carol'].map((userId) => ({
          inviteId: inv.inviteId,
          userId,
          invitedBy: 'alice',
          invitedAt: T0,
          result: 'pending',
          settledAt: null,
          sessionId: null,
        })),
      });
      expect(await f.store.calls.getCall('nope')).toBeUndefined();
      expect(await f.store.calls.getInvitation('nope')).toBeUndefined();
    });

    test('busy: members of a call and invitees of a live invitation; not past the deadline; per app', async () => {
      const a = await app(f.store);
      const b = await app(f.store);
      const first = await started(f.store, a, 'alice', ['bob']);
      // alice (member) and bob (ringing) are busy; carol is not; the same names in another app are not.
      const second = await started(f.store, a, 'carol', ['alice', 'bob', 'dave']);
      expect(states(second.invitation)).toEqual([
        ['alice', 'busy'],
        ['bob', 'busy'],
        ['dave', 'pending'],
      ]);
      expect(second.invitation.invitees[0]?.settledAt).toBe(T0);
      expect(
        (await started(f.store, b, 'erin', ['alice', 'bob'])).invitation.invitees.map((i) => i.state),
      ).toEqual(['pending', 'pending']);
      expect(await f.store.calls.start(newCall(a, 'bob'), invitation('x', 'bob', ['zed']))).toEqual({
        ok: false,
        reason: 'caller_busy',
      });
      // Past bob's deadline (not yet expired) he is free again.
      const late = T0 + 30 * SEC;
      const third = await started(f.store, a, 'frank', ['bob'], late);
      expect(states(third.invitation)).toEqual([['bob', 'pending']]);
      expect(first.call.endedAt).toBeNull();
    });

    test('everyone busy: the call ends at once, duration 0', async () => {
      const a = await app(f.store);
      await started(f.store, a, 'alice', ['bob']);
      const out = await started(f.store, a, 'carol', ['bob']);
      expect(out).toMatchObject({ ended: true, call: { endedAt: T0, duration: 0, endedBy: 'carol' } });
      expect(out.call.members).toEqual([
        {
          userId: 'carol',
          sessionId: 'carol#1',
          joinedAt: T0,
          leftAt: T0,
          nodeId: null,
          video: null,
          audio: null,
        },
      ]);
      expect(await f.store.calls.activeCalls({ sdkAppId: a.sdkAppId, userId: 'carol' })).toEqual([]);
    });

    test('settle is compare-and-set: of concurrent answers for one invitee exactly one wins', async () => {
      const a = await app(f.store);
      const { invitation: inv } = await started(f.store, a, 'alice', ['bob']);
      const outcomes = await Promise.all([
        f.store.calls.settle(inv.inviteId, 'bob', 'answered', T0 + 1, 'bob#1'),
        f.store.calls.settle(inv.inviteId, 'bob', 'answered', T0 + 1, 'bob#2'),
        f.store.calls.settle(inv.inviteId, 'bob', 'rejected', T0 + 1, 'bob#3'),
      ]);
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      expect(outcomes.filter((o) => !o.ok)).toEqual([
        { ok: false, reason: 'processed' },
        { ok: false, reason: 'processed' },
      ]);
    });

    test('answering: a member, connected once; duplicates in the call become answered_elsewhere', async () => {
      const a = await app(f.store);
      const { invitation: inv, call } = await started(f.store, a, 'alice', ['bob', 'carol']);
      const bob = await f.store.calls.settle(inv.inviteId, 'bob', 'answered', T0 + 5 * SEC, 'bob#1');
      expect(bob).toMatchObject({
        ok: true,
        ended: false,
        elsewhere: [],
        call: { connectedAt: T0 + 5 * SEC },
      });
      const more = (await f.store.calls.inviteMore(
        invitation(call.callId, 'alice', ['dave'], { createdAt: T0 + 6 * SEC }),
      )) as Extract<Awaited<ReturnType<Store['calls']['inviteMore']>>, { ok: true }>;
      const twice = (await f.store.calls.inviteMore(
        invitation(call.callId, 'bob', ['dave'], { createdAt: T0 + 7 * SEC }),
      )) as typeof more;
      expect(states(twice.invitation)).toEqual([['dave', 'pending']]);
      const dave = await f.store.calls.settle(
        twice.invitation.inviteId,
        'dave',
        'answered',
        T0 + 8 * SEC,
        'd',
      );
      expect(dave).toMatchObject({ ok: true, elsewhere: [more.invitation.inviteId] });
      const first = await f.store.calls.getInvitation(more.invitation.inviteId);
      expect(first).toMatchObject({
        status: 'settled',
        invitees: [{ state: 'answered_elsewhere', settledAt: T0 + 8 * SEC }],
      });
      const now = await f.store.calls.getCall(call.callId);
      expect(now?.connectedAt).toBe(T0 + 5 * SEC);
      expect(now?.members.map((m) => [m.userId, m.sessionId])).toEqual([
        ['alice', 'alice#1'],
        ['bob', 'bob#1'],
        ['dave', 'd'],
      ]);
      expect(await f.store.calls.inviteMore(invitation(call.callId, 'zed', ['x']))).toEqual({
        ok: false,
        reason: 'not_member',
      });
      // A member invited again is busy.
      const again = (await f.store.calls.inviteMore(
        invitation(call.callId, 'alice', ['bob']),
      )) as typeof more;
      expect(states(again.invitation)).toEqual([['bob', 'busy']]);
    });

    test('settle refusals: not_found, not_invitee, expired (at the deadline)', async () => {
      const a = await app(f.store);
      const { invitation: inv } = await started(f.store, a, 'alice', ['bob']);
      expect(await f.store.calls.settle('nope', 'bob', 'answered', T0, 's')).toEqual({
        ok: false,
        reason: 'not_found',
      });
      expect(await f.store.calls.settle(inv.inviteId, 'eve', 'answered', T0, 's')).toEqual({
        ok: false,
        reason: 'not_invitee',
      });
      expect(await f.store.calls.settle(inv.inviteId, 'bob', 'answered', inv.deadline, 's')).toEqual({
        ok: false,
        reason: 'expired',
      });
    });

    test('the end rule: a 1:1 reject ends it; a hangup after talking gives floor seconds', async () => {
      const a = await app(f.store);
      const one = await started(f.store, a, 'alice', ['bob']);
      const rejected = await f.store.calls.settle(
        one.invitation.inviteId,
        'bob',
        'rejected',
        T0 + SEC,
        'bob#1',
      );
      expect(rejected).toMatchObject({
        ok: true,
        ended: true,
        call: { endedAt: T0 + SEC, duration: 0, endedBy: 'bob' },
      });
      expect(rejected.ok && rejected.invitation.invitees[0]).toEqual({
        userId: 'bob',
        state: 'rejected',
        settledAt: T0 + SEC,
        sessionId: 'bob#1',
        rungAt: null,
      });

      const two = await started(f.store, a, 'carol', ['dave']);
      await f.store.calls.settle(two.invitation.inviteId, 'dave', 'answered', T0 + 2 * SEC, 'dave#1');
      expect(await f.store.calls.leave(two.call.callId, 'zed', T0)).toEqual({
        ok: false,
        reason: 'not_member',
      });
      const left = await f.store.calls.leave(two.call.callId, 'carol', T0 + 75_999);
      expect(left).toMatchObject({
        ok: true,
        ended: true,
        cancelled: [],
        call: { duration: 73, endedBy: 'carol' },
      });
      expect(left.ok && left.call.members.map((m) => m.leftAt)).toEqual([T0 + 75_999, T0 + 75_999]);
      expect(await f.store.calls.leave(two.call.callId, 'dave', T0 + 80 * SEC)).toEqual({
        ok: false,
        reason: 'not_member',
      });
    });

    test('leave cancels the leaver’s ringing invitations; the call goes on with two', async () => {
      const a = await app(f.store);
      const { invitation: inv, call } = await started(f.store, a, 'alice', ['bob', 'carol', 'dave']);
      await f.store.calls.settle(inv.inviteId, 'bob', 'answered', T0 + 1, 'b');
      await f.store.calls.settle(inv.inviteId, 'carol', 'answered', T0 + 1, 'c');
      const out = await f.store.calls.leave(call.callId, 'alice', T0 + 2);
      expect(out).toMatchObject({
        ok: true,
        ended: false,
        cancelled: [{ inviteId: inv.inviteId, userIds: ['dave'] }],
      });
      expect(await f.store.calls.activeCalls({ sdkAppId: a.sdkAppId, userId: 'alice' })).toEqual([]);
      expect(
        (await f.store.calls.activeCalls({ sdkAppId: a.sdkAppId, userId: 'bob' })).map((c) => c.callId),
      ).toEqual([call.callId]);
    });

    test('cancel: only the inviter; pending invitees only', async () => {
      const a = await app(f.store);
      const { invitation: inv } = await started(f.store, a, 'alice', ['bob', 'carol']);
      await f.store.calls.settle(inv.inviteId, 'bob', 'rejected', T0 + 1, 'b');
      expect(await f.store.calls.cancel('nope', 'alice', T0)).toEqual({ ok: false, reason: 'not_found' });
      expect(await f.store.calls.cancel(inv.inviteId, 'bob', T0)).toEqual({
        ok: false,
        reason: 'not_inviter',
      });
      expect(await f.store.calls.cancel(inv.inviteId, 'alice', T0 + 2)).toMatchObject({
        ok: true,
        ended: true,
        cancelled: ['carol'],
      });
      expect(await f.store.calls.cancel(inv.inviteId, 'alice', T0 + 3)).toMatchObject({
        ok: true,
        cancelled: [],
      });
    });

    test('overdue and expire: by deadline, each invitee once, settled ones never listed', async () => {
      const a = await app(f.store);
      const early = await started(f.store, a, 'alice', ['bob', 'carol'], T0);
      const later = await started(f.store, a, 'dave', ['erin'], T0 + 5 * SEC);
      const done = await started(f.store, a, 'frank', ['gina'], T0);
      await f.store.calls.cancel(done.invitation.inviteId, 'frank', T0 + 1);
      expect(await f.store.calls.overdue(T0 + 30 * SEC - 1, 10)).toEqual([]);
      expect((await f.store.calls.overdue(T0 + 40 * SEC, 10)).map((i) => i.inviteId)).toEqual([
        early.invitation.inviteId,
        later.invitation.inviteId,
      ]);
      expect((await f.store.calls.overdue(T0 + 40 * SEC, 1)).map((i) => i.inviteId)).toEqual([
        early.invitation.inviteId,
      ]);
      expect(await f.store.calls.expire(later.invitation.inviteId, T0 + 30 * SEC)).toBeUndefined();
      const expired = await Promise.all([
        f.store.calls.expire(early.invitation.inviteId, T0 + 30 * SEC),
        f.store.calls.expire(early.invitation.inviteId, T0 + 30 * SEC),
      ]);
      expect(expired.map((e) => e?.timedOut)).toEqual([['bob', 'carol'], []]);
      expect(expired[0]).toMatchObject({ ended: true, call: { endedBy: 'carol', duration: 0 } });
      expect((await f.store.calls.overdue(T0 + 40 * SEC, 10)).map((i) => i.inviteId)).toEqual([
        later.invitation.inviteId,
      ]);
      expect(await f.store.calls.expire('nope', T0 + 40 * SEC)).toBeUndefined();
    });

    test('markRung: the first live delivery counts, per invitee; expire keeps it', async () => {
      const a = await app(f.store);
      const out = await started(f.store, a, 'alice', ['bob', 'carol']);
      const id = out.invitation.inviteId;
      await f.store.calls.markRung(id, ['bob'], T0 + SEC);
      await f.store.calls.markRung(id, ['bob'], T0 + 2 * SEC);
      await f.store.calls.markRung('nope', ['bob'], T0);
      const expired = await f.store.calls.expire(id, T0 + 30 * SEC);
      expect(expired?.invitation.invitees.map((i) => [i.userId, i.state, i.rungAt])).toEqual([
        ['bob', 'no_answer', T0 + SEC],
        ['carol', 'no_answer', null],
      ]);
    });

    test('ringing: what a user logging in still has to answer, before its deadline', async () => {
      const a = await app(f.store);
      const one = await started(f.store, a, 'alice', ['bob'], T0);
      const bob = { sdkAppId: a.sdkAppId, userId: 'bob' };
      expect((await f.store.calls.ringing(bob, T0 + 29 * SEC)).map((i) => i.inviteId)).toEqual([
        one.invitation.inviteId,
      ]);
      expect(await f.store.calls.ringing(bob, T0 + 30 * SEC)).toEqual([]);
      expect(await f.store.calls.ringing({ sdkAppId: a.sdkAppId + 1, userId: 'bob' }, T0)).toEqual([]);
      await f.store.calls.settle(one.invitation.inviteId, 'bob', 'rejected', T0 + 1, 'b');
      expect(await f.store.calls.ringing(bob, T0 + 2)).toEqual([]);
    });

    test('records: newest first, paged by position, filtered by start time, per app', async () => {
      const a = await app(f.store);
      const b = await app(f.store);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++)
        ids.push((await started(f.store, a, `u${i}`, [`v${i}`], T0 + i * 60 * SEC)).call.callId);
      // Two calls in the same millisecond: ties break by callId.
      const tieA = await started(f.store, a, 'x1', ['y1'], T0 + 10 * 60 * SEC);
      const tieB = await started(f.store, a, 'x2', ['y2'], T0 + 10 * 60 * SEC);
      await started(f.store, b, 'other', ['app'], T0);
      const all = [tieA.call.callId, tieB.call.callId]
        .sort()
        .reverse()
        .concat([...ids].reverse());
      const seen: string[] = [];
      let after: Awaited<ReturnType<Store['calls']['records']>>['next'] | undefined;
      do {
        const page = await f.store.calls.records(a.appid, { limit: 3, ...(after ? { after } : {}) });
        seen.push(...page.records.map((r) => r.callId));
        after = page.next;
      } while (after);
      expect(seen).toEqual(all);
      const window = await f.store.calls.records(a.appid, {
        limit: 10,
        from: T0 + 60 * SEC,
        to: T0 + 4 * 60 * SEC,
      });
      expect(window).toEqual({
        records: [ids[3], ids[2], ids[1]].map((id) => expect.objectContaining({ callId: id })),
        next: null,
      });
      expect((await f.store.calls.records(b.appid, { limit: 10 })).records).toHaveLength(1);
    });

    test('settings: single-device by default, saved and replaced', async () => {
      const a = await app(f.store);
      expect(await f.store.calls.settings(a.appid)).toEqual({ multiDevice: false });
      await f.store.calls.saveSettings(a.appid, { multiDevice: true });
      expect(await f.store.calls.settings(a.appid)).toEqual({ multiDevice: true });
      await f.store.calls.saveSettings(a.appid, { multiDevice: false });
      expect(await f.store.calls.settings(a.appid)).toEqual({ multiDevice: false });
    });

    if (!reopen) {
      test.skip('ringing invitations and running calls survive reopen (not a durable adapter)', () => {});
      return;
    }
    test('ringing invitations and running calls survive reopen: overdue still finds them', async () => {
      const first = await open();
      const a = await app(first);
      const out = await started(first, a, 'alice', ['bob']);
      await first.calls.saveSettings(a.appid, { multiDevice: true });
      await first.close();
      const second = await reopen(first);
      try {
        expect(await second.calls.getCall(out.call.callId)).toEqual(out.call);
        expect((await second.calls.overdue(T0 + 30 * SEC, 10)).map((i) => i.inviteId)).toEqual([
          out.invitation.inviteId,
        ]);
        expect(await second.calls.expire(out.invitation.inviteId, T0 + 30 * SEC)).toMatchObject({
          timedOut: ['bob'],
        });
        expect(await second.calls.settings(a.appid)).toEqual({ multiDevice: true });
      } finally {
        await second.close();
      }
    });
  });
}
