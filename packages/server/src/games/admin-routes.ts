import type { GameUpdateList, GameUpdateView } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { appidParam, type WithAppid } from '../http/admin-params.js';
import { getMiniGame } from './mini-game.js';
import { type GameUpdateInput, listUpdates, publishUpdate } from './updates.js';

// The fields are checked by publishUpdate (91000 naming the field), as on the open API.
const updateBody = { type: 'object', properties: { version: {}, phrases: {} } } as const;

/** `/admin/apps/:appid/game-updates`: the operator publishes a game's version and lists them (`beckon game`). */
export function registerGameAdminRoutes(app: FastifyInstance, ctx: Context): void {
  app.post<WithAppid & { Body: GameUpdateInput }>(
    '/admin/apps/:appid/game-updates',
    { schema: { params: appidParam, body: updateBody } },
    async (request, reply) => {
      const app = await getMiniGame(ctx, request.params.appid);
      const update: GameUpdateView = await publishUpdate(ctx, app, request.body, { log: request.log });
      return reply.code(201).send(update);
    },
  );

  app.get<WithAppid>(
    '/admin/apps/:appid/game-updates',
    { schema: { params: appidParam, querystring: { type: 'object' } } },
    async (request): Promise<GameUpdateList> => ({
      updates: await listUpdates(ctx, await getMiniGame(ctx, request.params.appid)),
    }),
  );
}
