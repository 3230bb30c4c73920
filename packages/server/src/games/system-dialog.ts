import {
  ApiError,
  Errors,
  msgTypeListProblem,
  SYS_MSG_TYPE_NAMES,
  type SysMsgType,
  type SystemDialogType,
  type SystemSubscribeDialog,
} from '@beckon/protocol';
import type { Context } from '../context.js';
import type { AppRecord } from '../store/port.js';
import { getMiniGame } from './mini-game.js';

/** A checked `requestSubscribeSystemMessage` call: the game, and each distinct requested type in order. */
export interface SystemDialog {
  app: AppRecord;
  types: { msgType: SysMsgType; status: SystemDialogType['status'] }[];
}

/**
 * Checks a `requestSubscribeSystemMessage` call (spec §4.5) in this order: unknown app (404), a mini program
 * (95001: the API is a mini game's), then WeChat's: 10001 empty, 10004 not types or more than 3, 20005 app
 * banned, 20004 main switch off. Then settles each distinct type: accepted before (permanent) or switched
 * off in settings or from a card is answered without asking; anything else is asked.
 */
export async function checkSystemRequest(
  ctx: Context,
  appid: string,
  userId: string,
  rawMsgTypeList: unknown,
): Promise<SystemDialog> {
  const app = await getMiniGame(ctx, appid);
  const problem = msgTypeListProblem(rawMsgTypeList);
  if (problem) throw new ApiError(problem);
  const requested = rawMsgTypeList as SysMsgType[];
  if (app.subscribeBanned) throw new ApiError(Errors.APP_SUBSCRIBE_BANNED);
  if (!(await ctx.store.consent.mainSwitch(appid, userId))) throw new ApiError(Errors.MAIN_SWITCH_OFF);

  const answered = new Map(
    (await ctx.store.games.systemSubscriptions(appid, userId)).map((s) => [s.msgType, s]),
  );
  const types = [...new Set(requested)].map((msgType) => {
    const sub = answered.get(msgType);
    return { msgType, status: sub?.kept ? sub.status : ('ask' as const) };
  });
  return { app, types };
}

/** `POST /api/apps/:appid/system-subscriptions/prepare`: what the shell's dialog shows. */
export async function prepareSystemSubscription(
  ctx: Context,
  appid: string,
  userId: string,
  rawMsgTypeList: unknown,
): Promise<SystemSubscribeDialog> {
  const { app, types } = await checkSystemRequest(ctx, appid, userId, rawMsgTypeList);
  return {
    appid: app.appid,
    appName: app.name,
    types: types.map(({ msgType, status }) => ({ msgType, name: SYS_MSG_TYPE_NAMES[msgType].en, status })),
    silent: types.every((t) => t.status !== 'ask'),
  };
}
