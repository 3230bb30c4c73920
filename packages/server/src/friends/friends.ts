import { ApiError, Errors, type FriendView } from '@beckon/protocol';
import { findUser, toUserView } from '../accounts/users.js';
import type { Context } from '../context.js';
import type { FriendRecord, UserRecord } from '../store/port.js';

export function toFriendView(friend: FriendRecord): FriendView {
  return { ...toUserView(friend.user), since: new Date(friend.since).toISOString() };
}

/** The user's friends, by username regardless of case. */
export function listFriends(ctx: Context, userId: string): Promise<FriendRecord[]> {
  return ctx.store.friends.list(userId);
}

/**
 * Makes the user and the one named `username` (any letter case) friends of each other, at once: the platform
 * has no friend requests. `added` is false when they were friends already (nothing changed).
 */
export async function addFriend(
  ctx: Context,
  user: UserRecord,
  username: string,
): Promise<{ friend: FriendRecord; added: boolean }> {
  const other = await findUser(ctx, username);
  if (other.id === user.id) throw ApiError.invalidRequest('you cannot add yourself as a friend');
  const { status, since } = await ctx.store.friends.add(user.id, other.id, ctx.clock.now());
  return { friend: { user: other, since }, added: status === 'added' };
}

/** Ends the friendship on both sides; 91001 when `friendId` is not the user's friend. */
export async function removeFriend(ctx: Context, userId: string, friendId: string): Promise<void> {
  if (!(await ctx.store.friends.remove(userId, friendId)))
    throw ApiError.because(Errors.NOT_FOUND, `not a friend: ${friendId}`);
}

/** Whether the two users are friends (mini games remind only friends). */
export function areFriends(ctx: Context, a: string, b: string): Promise<boolean> {
  return ctx.store.friends.areFriends(a, b);
}
