import type { ServerFrame } from '@beckon/protocol';
import type { Context } from '../context.js';

/** The Bus channel that carries frames to one user's sessions, on whichever node they are connected. */
export const userChannel = (userId: string) => `user:${userId}`;

/**
 * Sends a frame to every open session of a user. Fire and forget: the Bus may lose it (the store holds the
 * truth; a client that reconnects reads its inbox again).
 */
export async function pushToUser(ctx: Context, userId: string, frame: ServerFrame): Promise<void> {
  await ctx.bus.publish(userChannel(userId), frame);
}
