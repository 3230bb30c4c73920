import type { AppView, InboxCard, InboxPage, ServerFrame, SysMsgType } from '@beckon/protocol';
import { afterEach, beforeEach } from 'vitest';
import { consentClient } from '../../consent/test-support/shell.js';
import { userChannel } from '../../gateway/push.js';
import { callAs } from '../../test-support/client-api.js';
import { type SignedInUser, signUp, type TestServer, testServer } from '../../test-support/harness.js';

/** Around the mini-game routes: a game, signed-in players, and the client API as the shell calls it. */

type Body = Record<string, unknown> | undefined;

/** The client API as a signed-in user calls it (the settings routes are the consent module's). */
export function playerClient(s: TestServer, user: { token: string }) {
  const call = callAs(s, user);
  const { settings, changeSettings } = consentClient(s, user);
  return {
    call,
    prepare: (appid: string, body: Body) =>
      call('POST', `/api/apps/${appid}/system-subscriptions/prepare`, body),
    subscribe: (appid: string, body: Body) => call('POST', `/api/apps/${appid}/system-subscriptions`, body),
    settings,
    changeSettings,
    setStorage: (appid: string, KVDataList: unknown) =>
      call('PUT', `/api/apps/${appid}/cloud-storage`, { KVDataList }),
    friendStorage: (appid: string, keyList?: string) =>
      call(
        'GET',
        `/api/apps/${appid}/friend-cloud-storage${keyList === undefined ? '' : `?keyList=${encodeURIComponent(keyList)}`}`,
      ),
    interact: (appid: string, body: Body) => call('POST', `/api/apps/${appid}/interactions`, body),
    /** The user's cards, newest first. */
    async inbox(): Promise<InboxCard[]> {
      return ((await call('GET', '/api/inbox?limit=50')).json() as InboxPage).cards;
    },
  };
}

export type PlayerClient = ReturnType<typeof playerClient>;

export interface Player extends SignedInUser {
  username: string;
  c: PlayerClient;
  /** The frames pushed to the user's sessions since sign-up. */
  frames: ServerFrame[];
}

/** Signs a user up and records what is pushed to their sessions. */
export async function player(s: TestServer, username: string): Promise<Player> {
  const user = await signUp(s, username);
  const frames: ServerFrame[] = [];
  await s.ctx.bus.subscribe(userChannel(user.userId), (f) => frames.push(f as ServerFrame));
  return { ...user, username, c: playerClient(s, user), frames };
}

/** Accepts the types in the dialog, as the shell does after the user switched them on. */
export async function acceptTypes(p: Player, appid: string, types: SysMsgType[]): Promise<void> {
  const res = await p.c.subscribe(appid, { msgTypeList: types, accepted: types });
  if (res.statusCode !== 200) throw new Error(`subscribe: ${res.body}`);
}

/** Makes two players friends through the client API (friendships are mutual). */
export async function befriend(a: Player, b: Player): Promise<void> {
  const res = await a.c.call('POST', '/api/friends', { username: b.username });
  if (res.statusCode !== 201) throw new Error(`add friend: ${res.body}`);
}

/** A rank score as `wx.setUserCloudStorage` stores it (spec §1.5). */
export const score = (n: number, at = 1_767_240_000) =>
  JSON.stringify({ wxgame: { score: n, update_time: at } });

export interface GameWorld {
  s: TestServer;
  game: AppView & { secret: string };
  alice: Player;
  bob: Player;
}

/** Registers the hooks that build a fresh {@link GameWorld} for each test and close it after. */
export function useGameWorld(): GameWorld {
  const w = {} as GameWorld;
  beforeEach(async () => {
    w.s = await testServer();
    w.game = await w.s.newApp('minigame');
    w.alice = await player(w.s, 'alice');
    w.bob = await player(w.s, 'bob');
  });
  afterEach(() => w.s.close());
  return w;
}
