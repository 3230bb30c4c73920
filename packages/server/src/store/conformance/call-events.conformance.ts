import type { CallEventName } from '@beckon/protocol';
import { describe, expect, test } from 'vitest';
import type { AppRecord, CallChange, PushEnqueue, Store } from '../port.js';
import { app, invitation, newCall, started } from './calls.conformance.js';
import { type StoreFixture, T0 } from './fixture.conformance.js';
import { pushConfigRecord } from './push.conformance.js';

const SEC = 1000;

/** The app's outbox, oldest first, as (event, user, data, createdAt). */
async function outbox(store: Store, appid: string) {
  const rows = await store.push.deliveries(appid, { limit: 100 });
  return rows.reverse().map((r) => [r.event, r.userId, r.data, r.createdAt]);
}

/** A CallEvents that reports one event naming the call and whether the change ended it; keeps what it saw. */
function reporter(a: AppRecord, name: CallEventName, at: number) {
  const seen: CallChange[] = [];
  const events = (o: CallChange): PushEnqueue[] => {
    seen.push(o);
    return [
      { appid: a.appid, userId: 'u', event: name, data: { callId: o.call.callId, ended: o.ended }, at },
    ];
  };
  return { seen, events };
}

const never = () => {
  throw new Error('events asked for a refused change');
};

/** The CallStore's webhooks (port CallEvents): written in the change's own transaction, or not at all. */
export function callEventsConformance(f: StoreFixture): void {
  describe('call events', () => {
    test('each change writes the events it reports, in its own transaction, from its own outcome', async () => {
      const a = await app(f.store);
      await f.store.push.setConfig(pushConfigRecord(a.appid));
      const call = newCall(a, 'alice');
      const inv = invitation(call.callId, 'alice', ['bob', 'carol', 'dave']);
      const r1 = reporter(a, 'call_invited_event', T0);
      const begun = await f.store.calls.start(call, inv, r1.events);
      expect(r1.seen).toEqual([begun]);
      const r2 = reporter(a, 'call_answered_event', T0 + 1);
      const answered = await f.store.calls.settle(inv.inviteId, 'bob', 'answered', T0 + 1, 'b', r2.events);
      expect(r2.seen).toEqual([answered]);
      const more = invitation(call.callId, 'bob', ['erin'], { createdAt: T0 + 2 });
      const r3 = reporter(a, 'call_invited_event', T0 + 2);
      const invited = await f.store.calls.inviteMore(more, r3.events);
      expect(r3.seen).toEqual([invited]);
      const r4 = reporter(a, 'call_cancelled_event', T0 + 3);
      expect(await f.store.calls.cancel(more.inviteId, 'bob', T0 + 3, r4.events)).toEqual(r4.seen[0]);
      const r5 = reporter(a, 'call_no_answer_event', T0 + 30 * SEC);
      expect(await f.store.calls.expire(inv.inviteId, T0 + 30 * SEC, r5.events)).toEqual(r5.seen[0]);
      const r6 = reporter(a, 'call_ended_event', T0 + 40 * SEC);
      const left = await f.store.calls.leave(call.callId, 'alice', T0 + 40 * SEC, r6.events);
      expect(left).toMatchObject({ ok: true, ended: true });
      expect(r6.seen).toEqual([left]);
      const reported = (event: string, at: number, ended = false) => [
        event,
        'u',
        { callId: call.callId, ended },
        at,
      ];
      expect(await outbox(f.store, a.appid)).toEqual([
        reported('call_invited_event', T0),
        reported('call_answered_event', T0 + 1),
        reported('call_invited_event', T0 + 2),
        reported('call_cancelled_event', T0 + 3),
        reported('call_no_answer_event', T0 + 30 * SEC),
        reported('call_ended_event', T0 + 40 * SEC, true),
      ]);
    });

    test('a refused change reports nothing; without push the change applies and nothing is written', async () => {
      const a = await app(f.store);
      await f.store.push.setConfig(pushConfigRecord(a.appid));
      const one = await started(f.store, a, 'alice', ['bob']);
      const id = one.invitation.inviteId;
      expect(await f.store.calls.start(newCall(a, 'bob'), invitation('x', 'bob', ['z']), never)).toEqual({
        ok: false,
        reason: 'caller_busy',
      });
      expect(await f.store.calls.inviteMore(invitation(one.call.callId, 'zed', ['y']), never)).toMatchObject({
        ok: false,
      });
      expect(await f.store.calls.settle(id, 'eve', 'answered', T0, 's', never)).toMatchObject({ ok: false });
      expect(await f.store.calls.cancel(id, 'bob', T0, never)).toMatchObject({ ok: false });
      expect(await f.store.calls.expire(id, T0 + 1, never)).toBeUndefined();
      expect(await f.store.calls.leave(one.call.callId, 'zed', T0, never)).toMatchObject({ ok: false });
      expect(await outbox(f.store, a.appid)).toEqual([]);

      const b = await app(f.store);
      const quiet = reporter(b, 'call_invited_event', T0);
      const call = newCall(b, 'alice');
      const out = await f.store.calls.start(call, invitation(call.callId, 'alice', ['bob']), quiet.events);
      expect(out).toMatchObject({ ok: true });
      expect(await outbox(f.store, b.appid)).toEqual([]);
    });

    test('events that cannot be made undo the change: nothing of it is kept', async () => {
      const a = await app(f.store);
      await f.store.push.setConfig(pushConfigRecord(a.appid));
      const call = newCall(a, 'alice');
      await expect(
        f.store.calls.start(call, invitation(call.callId, 'alice', ['bob']), () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await f.store.calls.getCall(call.callId)).toBeUndefined();
      expect(await f.store.calls.activeCalls({ sdkAppId: a.sdkAppId, userId: 'alice' })).toEqual([]);

      const one = await started(f.store, a, 'carol', ['dave']);
      await expect(
        f.store.calls.settle(one.invitation.inviteId, 'dave', 'answered', T0 + 1, 'd', () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await f.store.calls.getInvitation(one.invitation.inviteId)).toEqual(one.invitation);
      expect(await f.store.calls.getCall(one.call.callId)).toEqual(one.call);
      expect(await outbox(f.store, a.appid)).toEqual([]);
    });
  });
}
