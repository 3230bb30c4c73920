/**
 * Issue 5's integration tests: the calling flows end to end over real WebSockets, each user a Node client of
 * `/ws` logged in with a userSig, the server's own sweep firing the deadlines.
 */
import { type AppView, CALL_DEFAULT_TIMEOUT_SECONDS, WS_CLOSE } from '@beckon/protocol';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CallingUsers } from '../gateway/test-support/calling-client.js';
import { type TestServer, testServer } from '../test-support/harness.js';
import { listCallRecords } from './records.js';

let s: TestServer;
let app: AppView & { secret: string; sdkAppId: number };
let users: CallingUsers;
beforeEach(async () => {
  s = await testServer();
  app = (await s.newApp()) as typeof app;
  users = new CallingUsers(s, app.sdkAppId);
  await s.app.listen({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  users.terminate();
  await s.close();
});

const online = (userId: string) => users.online(userId);

/** The ring runs out: the clock passes the deadline and the server's sweep fires it. */
async function ringOut() {
  s.clock.advance(CALL_DEFAULT_TIMEOUT_SECONDS * 1000 + 1);
  await s.app.calls.sweep();
}

async function records() {
  return (await listCallRecords(s.ctx, app.appid, {})).records;
}

describe('1:1', () => {
  test('accept: both enter, the hangup ends the call on both sides with its duration', async () => {
    const alice = await online('alice');
    const bob = await online('bob');
    const receipt = await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 2 } });
    const invited = await bob.signal('onInvited');
    expect(invited).toMatchObject({
      sponsor: 'alice',
      userIDList: ['bob'],
      isFromGroup: false,
      inviteData: { version: 4, callType: 2, roomID: receipt.roomID, callEnd: 0 },
    });
    const joined = await bob.request('call.accept', { inviteID: invited.inviteID });
    expect(joined).toMatchObject({ callId: receipt.callId, members: ['alice', 'bob'] });
    expect(await alice.signal('onUserAccept')).toMatchObject({ userID: 'bob' });
    expect(await alice.signal('onUserEnter')).toMatchObject({ userID: 'bob' });
    s.clock.advance(42_000);
    await alice.request('call.hangup', {});
    expect(await bob.signal('onCallEnd')).toMatchObject({ userID: 'alice', callEnd: 42 });
    expect(await records()).toMatchObject([
      { status: 'ended', duration: 42, invitees: [{ result: 'answered' }] },
    ]);
  });

  test('reject: the caller hears onReject and the call ends', async () => {
    const alice = await online('alice');
    const bob = await online('bob');
    await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 1 } });
    await bob.request('call.reject', { inviteID: (await bob.signal('onInvited')).inviteID });
    expect(await alice.signal('onReject')).toMatchObject({ userID: 'bob' });
    expect(await alice.signal('onCallEnd')).toMatchObject({ callEnd: 0 });
    expect(await records()).toMatchObject([{ status: 'ended', invitees: [{ result: 'rejected' }] }]);
  });

  test('busy: a callee in another call is rejected by the server with onLineBusy, and never rings', async () => {
    const alice = await online('alice');
    const bob = await online('bob');
    const carol = await online('carol');
    await bob.request('call.invite', { invite: { userIDList: ['carol'], type: 1 } });
    await carol.request('call.accept', { inviteID: (await carol.signal('onInvited')).inviteID });
    const receipt = await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 1 } });
    expect(receipt.invitees).toEqual([{ userID: 'bob', state: 'busy' }]);
    expect(await alice.signal('onLineBusy')).toMatchObject({ userID: 'bob', sponsor: 'alice' });
    expect(await alice.signal('onCallEnd')).toBeDefined();
    await new Promise((r) => setTimeout(r, 50));
    expect(bob.queued()).not.toContain('onInvited');
  });

  test('no answer: the invitee’s device rang, so the caller hears onCallingTimeout; the invitee hears it too', async () => {
    const alice = await online('alice');
    const bob = await online('bob');
    await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 1 } });
    await bob.signal('onInvited');
    await ringOut();
    expect(await alice.signal('onCallingTimeout')).toMatchObject({ userIDList: ['bob'] });
    expect(await bob.signal('onCallingTimeout')).toBeDefined();
    expect(await alice.signal('onCallEnd')).toBeDefined();
    expect(await records()).toMatchObject([{ invitees: [{ result: 'no_answer' }] }]);
  });

  test('no answer from a user whose browser closed: the server still fires onNoResp on time', async () => {
    const alice = await online('alice');
    await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 1 } });
    await ringOut();
    expect(await alice.signal('onNoResp')).toMatchObject({ userID: 'bob', userIDList: ['bob'] });
  });

  test('cancel: the invitee stops ringing with onCallingCancel', async () => {
    const alice = await online('alice');
    const bob = await online('bob');
    const { inviteID } = await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 2 } });
    await bob.signal('onInvited');
    await alice.request('call.cancel', { inviteID });
    expect(await bob.signal('onCallingCancel')).toMatchObject({ inviteID });
    expect(await records()).toMatchObject([{ status: 'ended', invitees: [{ result: 'cancelled' }] }]);
  });
});

describe('groups', () => {
  test('a group of 3 with a late joiner: list updates, enters, and the last one leaving ends it', async () => {
    const [alice, bob, carol, dave] = await Promise.all(['alice', 'bob', 'carol', 'dave'].map(online));
    const receipt = await alice!.request('call.invite', {
      invite: { userIDList: ['bob', 'carol'], type: 2, groupID: 'team' },
    });
    const toBob = await bob!.signal('onInvited');
    expect(toBob).toMatchObject({ isFromGroup: true, groupID: 'team', userIDList: ['bob', 'carol'] });
    await bob!.request('call.accept', { inviteID: toBob.inviteID });
    await carol!.request('call.accept', { inviteID: (await carol!.signal('onInvited')).inviteID });
    expect(await alice!.signal('onUserEnter')).toBeDefined();
    // A member invites dave into the running call, named by the callId bob's invitation carried.
    const more = await bob!.request('call.invite', {
      invite: { userIDList: ['dave'], type: 2, groupID: 'team', callId: toBob.callId },
    });
    expect(more.callId).toBe(receipt.callId);
    const toDave = await dave!.signal('onInvited');
    expect(toDave.sponsor).toBe('bob');
    expect(await alice!.signal('onGroupCallInviteeListUpdate')).toMatchObject({ callId: receipt.callId });
    await dave!.request('call.accept', { inviteID: toDave.inviteID });
    for (const c of [alice!, bob!, carol!]) {
      const entered: string[] = [];
      while (!entered.includes('dave')) entered.push((await c.signal('onUserEnter')).userID);
    }
    for (const c of [alice!, bob!, carol!]) await c.request('call.hangup', {});
    expect(await dave!.signal('onCallEnd')).toBeDefined();
    const [record] = await records();
    expect(record).toMatchObject({ status: 'ended', groupId: 'team' });
    expect(record?.invitees.map((i) => [i.userId, i.result])).toEqual([
      ['bob', 'answered'],
      ['carol', 'answered'],
      ['dave', 'answered'],
    ]);
  });
});

describe('devices and presence', () => {
  test('a second login kicks the first out', async () => {
    const first = await online('bob');
    const second = await online('bob');
    expect(await first.signal('onKickedOut')).toMatchObject({ reason: 'multipleAccount' });
    expect((await first.closed).code).toBe(WS_CLOSE.KICKED);
    const alice = await online('alice');
    await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 1 } });
    expect(await second.signal('onInvited')).toBeDefined();
  });

  test('multi-device: every device rings, the first to accept wins, the other stops as answered elsewhere', async () => {
    await s.ctx.store.calls.saveSettings(app.appid, { multiDevice: true });
    const phone = await online('bob');
    const laptop = await online('bob');
    const alice = await online('alice');
    await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 2 } });
    const onPhone = await phone.signal('onInvited');
    await laptop.signal('onInvited');
    await phone.request('call.accept', { inviteID: onPhone.inviteID });
    expect(await laptop.signal('onCallingCancel')).toMatchObject({ reason: 'answered_elsewhere' });
    expect(await alice.signal('onUserEnter')).toMatchObject({ userID: 'bob' });
    expect(laptop.ws.readyState).toBe(laptop.ws.OPEN);
  });

  test('an offline invitee who logs in within the timeout is rung and can answer', async () => {
    const alice = await online('alice');
    await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 2 } });
    s.clock.advance(10_000);
    await s.app.calls.sweep();
    const bob = await online('bob');
    expect(bob.login?.ringing).toBe(1);
    const invited = await bob.signal('onInvited');
    expect(invited.deadline - s.clock.now()).toBe(20_000);
    await bob.request('call.accept', { inviteID: invited.inviteID });
    expect(await alice.signal('onUserEnter')).toMatchObject({ userID: 'bob' });
  });

  test('an offline invitee who logs in after the timeout hears nothing', async () => {
    const alice = await online('alice');
    await alice.request('call.invite', { invite: { userIDList: ['bob'], type: 2 } });
    await ringOut();
    const bob = await online('bob');
    expect(bob.login?.ringing).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(bob.queued()).toEqual([]);
  });
});
