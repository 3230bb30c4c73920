import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Phones } from './test-support/phones.js';

let p: Phones;
let alice: string;
let bob: string;
let carol: string;
let dave: string;
beforeEach(async () => {
  p = await Phones.open();
  alice = await p.login('alice');
  bob = await p.login('bob');
  carol = await p.login('carol');
  dave = await p.login('dave');
});
afterEach(() => p.close());

const list = (userIDList: string[]) => ({ event: 'onGroupCallInviteeListUpdate', userIDList });

describe('group calls', () => {
  test('with a groupID: one invitation, isFromGroup, the list shrinks as people answer, members hear it', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob', 'carol'], type: 2, groupID: '@TGS#team' });
    expect(p.take(alice)).toMatchObject([list(['bob', 'carol'])]);
    expect(p.take(bob)).toMatchObject([
      {
        event: 'onInvited',
        inviteID: r.inviteID,
        isFromGroup: true,
        groupID: '@TGS#team',
        userIDList: ['bob', 'carol'],
      },
    ]);
    p.clearAll();

    await p.service.accept(bob, r.inviteID);
    expect(p.take(alice)).toMatchObject([
      { event: 'onUserAccept', userID: 'bob' },
      { event: 'onUserEnter', userID: 'bob' },
      list(['carol']),
    ]);
    expect(p.take(bob)).toMatchObject([{ event: 'onUserEnter', userID: 'alice' }, list(['carol'])]);
    expect(p.take(carol)).toMatchObject([{ event: 'onUserAccept', userID: 'bob' }]);

    await p.service.reject(carol, r.inviteID);
    expect(p.take(alice)).toMatchObject([{ event: 'onReject', userID: 'carol' }, list([])]);
    expect(p.take(bob)).toMatchObject([{ event: 'onReject', userID: 'carol' }, list([])]);
    expect(p.take(carol)).toEqual([]);
  });

  test('with a groupID, answers go to the group (spec §1.2 routing): members and invitees still ringing hear them', async () => {
    const erin = await p.login('erin');
    await p.service.invite(erin, { userIDList: ['frank'], type: 1 });
    p.clearAll();
    const r = await p.service.invite(alice, {
      userIDList: ['bob', 'carol', 'dave', 'erin'],
      type: 2,
      groupID: '@TGS#team',
    });
    const busy = { event: 'onLineBusy', callId: r.callId, sponsor: 'alice', userID: 'erin' };
    expect(p.take(alice)).toEqual([busy, expect.objectContaining(list(['bob', 'carol', 'dave']))]);
    for (const invitee of [bob, carol, dave])
      expect(p.take(invitee)).toEqual([expect.objectContaining({ event: 'onInvited' }), busy]);
    expect(p.take(erin)).toEqual([]);

    await p.service.accept(bob, r.inviteID);
    const accepted = { event: 'onUserAccept', callId: r.callId, userID: 'bob' };
    expect(p.take(carol)).toEqual([accepted]);
    expect(p.take(dave)).toEqual([accepted]);
    expect(p.events(alice)).toEqual(['onUserAccept', 'onUserEnter', 'onGroupCallInviteeListUpdate']);
    expect(p.events(bob)).toEqual(['onUserEnter', 'onGroupCallInviteeListUpdate']);

    await p.service.reject(carol, r.inviteID);
    const rejected = { event: 'onReject', callId: r.callId, userID: 'carol' };
    expect(p.take(dave)).toEqual([rejected]);
    expect(p.take(alice)).toEqual([rejected, expect.objectContaining(list(['dave']))]);
    expect(p.take(bob)).toEqual([rejected, expect.objectContaining(list(['dave']))]);
    expect(p.take(carol)).toEqual([]);
  });

  test('without a groupID (N one-to-one invitations) answers go to their inviter only', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob', 'carol', 'dave'], type: 2 });
    await p.service.accept(bob, r.inviteID);
    p.clearAll();
    const more = await p.service.invite(bob, { userIDList: ['erin'], type: 2, callId: r.callId });
    await p.login('erin');
    const erin = p.service.sessionsOf({ sdkAppId: p.app.sdkAppId, userId: 'erin' })[0]!;
    p.clearAll();
    await p.service.reject(carol, r.inviteID);
    await p.service.accept(erin, more.inviteID);
    expect(p.events(alice)).toEqual([
      'onReject',
      'onGroupCallInviteeListUpdate',
      'onUserEnter',
      'onGroupCallInviteeListUpdate',
    ]);
    expect(p.events(bob)).toEqual([
      'onGroupCallInviteeListUpdate',
      'onUserAccept',
      'onUserEnter',
      'onGroupCallInviteeListUpdate',
    ]);
    expect(p.events(dave)).toEqual([]);
  });

  test('without a groupID: not from a group, still a group call (two invitees)', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob', 'carol'], type: 1 });
    expect(p.take(carol)).toMatchObject([{ event: 'onInvited', isFromGroup: false, groupID: null }]);
    await p.service.cancel(alice, r.inviteID);
    expect(p.events(bob)).toEqual(['onInvited', 'onCallingCancel']);
    expect(p.events(carol)).toEqual(['onCallingCancel']);
  });

  test('a late joiner: a member invites more into the same room; everyone hears the list and the newcomer', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    await p.service.accept(bob, r.inviteID);
    p.clearAll();
    const more = await p.service.invite(bob, { userIDList: ['carol'], type: 2, roomID: 5, callId: r.callId });
    expect(more).toMatchObject({ callId: r.callId, roomID: r.roomID });
    expect(p.take(carol)).toMatchObject([
      {
        event: 'onInvited',
        sponsor: 'bob',
        userIDList: ['alice', 'carol'],
        inviteData: { roomID: r.roomID },
      },
    ]);
    expect(p.take(alice)).toMatchObject([list(['carol'])]);
    p.clearAll();
    const joined = await p.service.accept(carol, more.inviteID);
    expect(joined.members).toEqual(['alice', 'bob', 'carol']);
    expect(p.take(carol)).toMatchObject([
      { event: 'onUserEnter', userID: 'alice' },
      { event: 'onUserEnter', userID: 'bob' },
      list([]),
    ]);
    expect(p.events(bob)).toEqual(['onUserAccept', 'onUserEnter', 'onGroupCallInviteeListUpdate']);
    expect(p.events(alice)).toEqual(['onUserEnter', 'onGroupCallInviteeListUpdate']);
  });

  test('the call goes on while two remain; the last one leaving ends it; duration counts from the first answer', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob', 'carol'], type: 2 });
    await p.service.accept(bob, r.inviteID);
    p.ctx.clock.advance(2_000);
    await p.service.accept(carol, r.inviteID);
    p.ctx.clock.advance(60_000);
    p.clearAll();
    await p.service.hangup(alice);
    expect(p.events(bob)).toEqual(['onUserLeave', 'onGroupCallInviteeListUpdate']);
    expect(p.events(alice)).toEqual([]);
    p.ctx.clock.advance(30_000);
    await p.service.hangup(carol);
    expect(p.take(bob)).toEqual([
      { event: 'onUserLeave', callId: r.callId, userID: 'carol' },
      { event: 'onCallEnd', callId: r.callId, userID: 'carol', callEnd: 92 },
    ]);
    expect(p.events(alice)).toEqual([]);
    expect(await p.ctx.store.calls.getCall(r.callId)).toMatchObject({ duration: 92, endedBy: 'carol' });
  });

  test('a member hanging up cancels the invitations they sent that still ring', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob', 'carol'], type: 2 });
    await p.service.accept(bob, r.inviteID);
    await p.service.accept(carol, r.inviteID);
    const more = await p.service.invite(bob, { userIDList: ['dave'], type: 2, callId: r.callId });
    p.clearAll();
    await p.service.hangup(bob);
    expect(p.take(dave)).toEqual([{ event: 'onCallingCancel', callId: r.callId, inviteID: more.inviteID }]);
    expect(p.events(alice)).toEqual(['onUserLeave', 'onGroupCallInviteeListUpdate']);
  });

  test('a group timeout drops only the silent invitee; the others go on', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob', 'carol'], type: 1 });
    await p.service.accept(bob, r.inviteID);
    p.clearAll();
    p.ctx.clock.advance(30_000);
    expect(await p.service.sweep()).toBe(1);
    expect(p.take(alice)).toMatchObject([
      { event: 'onCallingTimeout', inviteID: r.inviteID, sponsor: 'alice', userIDList: ['carol'] },
      list([]),
    ]);
    expect(p.take(bob)).toMatchObject([list([])]);
    expect(p.events(carol)).toEqual(['onCallingTimeout']);
    expect((await p.ctx.store.calls.getCall(r.callId))?.endedAt).toBeNull();
  });

  test('inviting someone already in the call is 6017; more than 9 users is 94003', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 1 });
    await p.service.accept(bob, r.inviteID);
    await expect(
      p.service.invite(bob, { userIDList: ['alice'], type: 1, callId: r.callId }),
    ).rejects.toMatchObject({
      code: 6017,
    });
    const many = Array.from({ length: 8 }, (_, i) => `u${i}`);
    await expect(
      p.service.invite(alice, { userIDList: many, type: 1, callId: r.callId }),
    ).rejects.toMatchObject({
      code: 94003,
    });
    await expect(p.service.invite(carol, { userIDList: many.concat('u8'), type: 1 })).rejects.toMatchObject({
      code: 94003,
    });
    const ok = await p.service.invite(carol, { userIDList: many, type: 1 });
    expect(ok.invitees).toHaveLength(8);
  });

  test('a member of a running call inviting without a callId is 94001 (no new call, nobody rings)', async () => {
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    await p.service.accept(bob, r.inviteID);
    p.clearAll();
    for (const member of [alice, bob])
      await expect(p.service.invite(member, { userIDList: ['carol'], type: 2 })).rejects.toMatchObject({
        code: 94001,
      });
    for (const session of [alice, bob, carol, dave]) expect(p.take(session)).toEqual([]);
    expect((await p.ctx.store.calls.getCall(r.callId))?.invitees.map((i) => i.userId)).toEqual(['bob']);
    expect(
      await p.ctx.store.calls.ringing({ sdkAppId: p.app.sdkAppId, userId: 'carol' }, p.ctx.clock.now()),
    ).toEqual([]);
  });

  test('a callId that is not the inviter’s running call is 94002, and nobody rings', async () => {
    const erin = await p.login('erin');
    const frank = await p.login('frank');
    const other = await p.service.invite(erin, { userIDList: ['frank'], type: 2 });
    await p.service.accept(frank, other.inviteID);
    const r = await p.service.invite(alice, { userIDList: ['bob'], type: 2 });
    await p.service.accept(bob, r.inviteID);
    p.clearAll();
    // Someone else's running call, a made-up id, and a call the inviter is not in at all.
    await expect(
      p.service.invite(bob, { userIDList: ['dave'], type: 2, callId: other.callId }),
    ).rejects.toMatchObject({ code: 94002 });
    await expect(
      p.service.invite(bob, { userIDList: ['dave'], type: 2, callId: 'no-such-call' }),
    ).rejects.toMatchObject({ code: 94002 });
    await expect(
      p.service.invite(carol, { userIDList: ['dave'], type: 2, callId: r.callId }),
    ).rejects.toMatchObject({
      code: 94002,
    });
    for (const session of [alice, bob, carol, dave, erin, frank]) expect(p.take(session)).toEqual([]);
    expect((await p.ctx.store.calls.getCall(r.callId))?.invitees.map((i) => i.userId)).toEqual(['bob']);
    expect((await p.ctx.store.calls.getCall(other.callId))?.invitees.map((i) => i.userId)).toEqual(['frank']);
    expect(
      await p.ctx.store.calls.ringing({ sdkAppId: p.app.sdkAppId, userId: 'dave' }, p.ctx.clock.now()),
    ).toEqual([]);
  });
});
