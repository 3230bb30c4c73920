import { ApiError, Errors, type FriendInteraction, interactionProblem } from '@beckon/protocol';
import { openidFor } from '../accounts/openids.js';
import type { Context } from '../context.js';
import { contentPolicy } from '../messages/content-policy.js';
import { nextMsgid } from '../messages/msgid.js';
import { MSGID_ATTEMPTS } from '../messages/send.js';
import type { UserRecord } from '../store/port.js';
import { getMiniGame } from './mini-game.js';
import { pushSystemCard, type SystemCardOptions, systemCardRecord } from './system-cards.js';

/** The card's message when the game gives no title. */
export const DEFAULT_INTERACTION_MESSAGE = 'Interacted with you';

/** The call's arguments after the route's schema (an object); each is checked here, 91000 naming it. */
export type FriendInteractionInput = { [K in keyof FriendInteraction]?: unknown };

function checkInteraction(input: FriendInteractionInput): FriendInteraction {
  const problem = interactionProblem(input);
  if (problem) throw ApiError.invalidRequest(problem);
  const { key, toUser, title, quiet } = input as FriendInteraction;
  return {
    key,
    opNum: 1,
    operation: 'add',
    toUser,
    ...(title !== undefined ? { title } : {}),
    ...(quiet !== undefined ? { quiet } : {}),
  };
}

/** The friend of `user` whose openid in the game is `openid` and who plays it; 95002 for anyone else. */
async function playingFriend(
  ctx: Context,
  appid: string,
  user: UserRecord,
  openid: string,
): Promise<UserRecord> {
  for (const { user: friend } of await ctx.store.friends.list(user.id)) {
    if ((await openidFor(ctx, appid, friend.id)) !== openid) continue;
    if ((await ctx.store.games.players(appid, [friend.id])).length === 1) return friend;
    break;
  }
  throw new ApiError(Errors.NOT_A_PLAYING_FRIEND);
}

/**
 * `POST /api/apps/:appid/interactions` (`wx.modifyFriendInteractiveStorage`, spec §6.5): adds 1 to the
 * friend's interactive value for `key` and, unless `quiet`, sends the friend one "Friend interaction" card
 * if they subscribed to SYS_MSG_TYPE_INTERACTIVE (no daily limit: the shell asks the player to confirm each
 * call), in one transaction: the value and the card, or nothing. `toUser` must be the openid in this game of a friend who plays it (95002); the title passes the
 * content policy as a send's values do (45168).
 */
export async function modifyFriendInteractiveStorage(
  ctx: Context,
  appid: string,
  user: UserRecord,
  input: FriendInteractionInput,
  options: Pick<SystemCardOptions, 'log'> = {},
): Promise<{ errMsg: 'modifyFriendInteractiveStorage:ok' }> {
  const app = await getMiniGame(ctx, appid);
  const call = checkInteraction(input);
  if (call.title && contentPolicy(ctx).violation(call.title)) throw new ApiError(Errors.SENSITIVE_CONTENT);
  const friend = await playingFriend(ctx, appid, user, call.toUser);
  const now = ctx.clock.now();
  // A game banned from subscribe messages sends no card, as sendSystemCards says.
  let card =
    call.quiet || app.subscribeBanned
      ? undefined
      : await systemCardRecord(
          ctx,
          {
            app,
            userId: friend.id,
            msgType: 'SYS_MSG_TYPE_INTERACTIVE',
            values: [user.displayName, call.title || DEFAULT_INTERACTION_MESSAGE],
          },
          now,
        );
  // The value and the card in one transaction; a taken msgid writes nothing, and another is minted.
  for (let attempt = 0; attempt < MSGID_ATTEMPTS; attempt++) {
    const write = await ctx.store.games.addInteractive(appid, friend.id, call.key, 1, now, card && { card });
    if (write.ok) {
      if (card && write.card === 'delivered') pushSystemCard(ctx, card, options);
      return { errMsg: 'modifyFriendInteractiveStorage:ok' };
    }
    card = card && { ...card, msgid: nextMsgid() };
  }
  throw ApiError.because(Errors.SYSTEM_ERROR, 'no unique msgid');
}
