/** Issue 6 §3 in Chromium: a group call on the mesh, every pair decoding; the mesh's size limit. */
import { expect, test } from 'vitest';
import { browserWorld } from './support/world.js';

const world = browserWorld();
const phone = (userID: string) => world.phone(userID);

test('a 3-person group call: every member decodes every other; the last ones leaving end it', async () => {
  const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map(phone));
  await alice!.do('groupCall', { userIDList: ['bob', 'carol'], type: 2, groupID: 'team' });
  for (const p of [bob!, carol!]) {
    const invited = await p.next('onInvited');
    expect(invited.payload).toMatchObject({
      sponsor: 'alice',
      isFromGroup: true,
      userIDList: ['bob', 'carol'],
    });
    await p.do('accept');
  }
  const everyone = [alice!, bob!, carol!];
  for (const p of everyone) for (const other of everyone) if (other !== p) await p.decodes(other.userID);
  await alice!.do('hangup');
  for (const p of [bob!, carol!]) expect((await p.next('onUserLeave')).payload).toEqual({ userID: 'alice' });
  // Bob and carol still talk to each other.
  await bob!.decodes('carol');
  await bob!.do('hangup');
  expect((await carol!.next('onCallEnd')).payload).toMatchObject({ userID: 'bob' });
  expect(await carol!.status()).toBe('idle');
});

test('a member invites a late joiner into the running call; everyone decodes them', async () => {
  const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map(phone));
  await alice!.do('call', { userID: 'bob', type: 2 });
  await bob!.next('onInvited');
  await bob!.do('accept');
  await alice!.decodes('bob');
  await bob!.do('groupCall', { userIDList: ['carol'], type: 2 });
  expect((await carol!.next('onInvited')).payload).toMatchObject({ sponsor: 'bob' });
  await carol!.do('accept');
  for (const p of [alice!, bob!]) await p.decodes('carol');
  for (const other of ['alice', 'bob']) await carol!.decodes(other);
});

test('more than 6 people is refused before anything is sent (94004), as ERROR too', async () => {
  const alice = await phone('alice');
  const six = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
  expect(await alice.codeOf('groupCall', { userIDList: six, type: 1 })).toBe(94004);
  expect((await alice.next('onError')).payload).toMatchObject({ code: 94004 });
  expect(await alice.status()).toBe('idle');
});
