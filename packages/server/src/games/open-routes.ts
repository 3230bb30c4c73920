import { ApiError, Errors, type GameUpdateList, type GameUpdateView } from '@beckon/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Context } from '../context.js';
import type { AppRecord } from '../store/port.js';
import { type GameUpdateInput, listUpdates, publishUpdate } from './updates.js';

/*
 * As the records routes: the schemas name the fields but constrain none, since Fastify validates before the
 * access-token hook runs and a bad token must answer 40001/41001/42001 whatever the body holds. The
 * handlers check them, each with its own message (91000).
 */
const anything = {};
const tokenQuery = { type: 'object', properties: { access_token: anything } } as const;
const updateBody = { type: 'object', properties: { version: anything, phrases: anything } } as const;
const ok = { errcode: 0, errmsg: 'ok' } as const;

/** The token's app, which must be a mini game: a mini program's token is 48001 api unauthorized. */
function miniGameOf(request: FastifyRequest): AppRecord {
  if (request.wxApp.type !== 'minigame') throw new ApiError(Errors.API_UNAUTHORIZED);
  return request.wxApp;
}

/**
 * `POST /beckon/game-updates` (publish a version: `GameUpdateRequest` → the update and how many players it
 * reminded) and `GET /beckon/game-updates` (the game's updates, newest first): Beckon's open API for a mini
 * game's backend, behind the access-token hook, shaped like WeChat's.
 */
export function registerGameOpenRoutes(scope: FastifyInstance, ctx: Context): void {
  scope.post<{ Body: GameUpdateInput | undefined }>(
    '/beckon/game-updates',
    { schema: { querystring: tokenQuery, body: updateBody } },
    async (request): Promise<typeof ok & GameUpdateView> => ({
      ...ok,
      ...(await publishUpdate(ctx, miniGameOf(request), request.body ?? {}, { log: request.log })),
    }),
  );

  scope.get(
    '/beckon/game-updates',
    { schema: { querystring: tokenQuery } },
    async (request): Promise<typeof ok & GameUpdateList> => ({
      ...ok,
      updates: await listUpdates(ctx, miniGameOf(request)),
    }),
  );
}
