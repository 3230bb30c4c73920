import type { AddFriendRequest, FriendsResponse, FriendView } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { requireSession } from '../http/session-auth.js';
import { addFriend, listFriends, removeFriend, toFriendView } from './friends.js';

const addBody = {
  type: 'object',
  required: ['username'],
  additionalProperties: false,
  // Any text: a name no user has is a 404 naming it, as for a name that merely is not taken.
  properties: { username: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

const userIdParams = {
  type: 'object',
  required: ['userId'],
  properties: { userId: { type: 'string', maxLength: 64 } },
} as const;

const noQuery = { querystring: { type: 'object' } } as const;

/** Client API of friends: the signed-in user's own friendships, which are always mutual. */
export function registerFriendClientRoutes(client: FastifyInstance, ctx: Context): void {
  client.register(async (signedIn) => {
    requireSession(signedIn, ctx);

    signedIn.get(
      '/api/friends',
      { schema: noQuery },
      async (request): Promise<FriendsResponse> => ({
        friends: (await listFriends(ctx, request.user.id)).map(toFriendView),
      }),
    );

    // 201 for a new friendship, 200 (the same body, the first `since`) when they were friends already.
    signedIn.post<{ Body: AddFriendRequest }>(
      '/api/friends',
      { schema: { body: addBody } },
      async (request, reply) => {
        const { friend, added } = await addFriend(ctx, request.user, request.body.username);
        const body: FriendView = toFriendView(friend);
        return reply.code(added ? 201 : 200).send(body);
      },
    );

    signedIn.delete<{ Params: { userId: string } }>(
      '/api/friends/:userId',
      { schema: { params: userIdParams } },
      async (request, reply) => {
        await removeFriend(ctx, request.user.id, request.params.userId);
        return reply.code(204).send();
      },
    );
  });
}
