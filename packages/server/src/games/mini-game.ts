import { ApiError, Errors } from '@beckon/protocol';
import { getApp } from '../apps/service.js';
import type { Context } from '../context.js';
import type { AppRecord } from '../store/port.js';

/** The app, which must be a mini game: 404 unknown app, 95001 a mini program (it has no such API). */
export async function getMiniGame(ctx: Context, appid: string): Promise<AppRecord> {
  const app = await getApp(ctx, appid);
  if (app.type !== 'minigame') throw new ApiError(Errors.MINI_GAME_ONLY);
  return app;
}
