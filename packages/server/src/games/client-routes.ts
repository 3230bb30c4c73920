import {
  CLOUD_STORAGE_MAX_KEY_BYTES,
  CLOUD_STORAGE_MAX_KEYS,
  Errors,
  type FriendCloudStorage,
  type SystemSubscribeDialog,
  type SystemSubscribeResult,
} from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { appidParam, type WithAppid } from '../http/admin-params.js';
import { requireSession } from '../http/session-auth.js';
import { getFriendCloudStorage, setUserCloudStorage } from './cloud-storage.js';
import { type FriendInteractionInput, modifyFriendInteractiveStorage } from './interactions.js';
import { prepareSystemSubscription } from './system-dialog.js';
import { type SystemSubscribeInput, subscribeSystem } from './system-subscribe.js';

/*
 * As the consent routes: `msgTypeList` is named but not constrained, so that its codes (10001 empty, 10004
 * not types or too many) come from the domain in WeChat's order; a schema failure of the shell's own part
 * (`accepted`) is 10004 too.
 */
const prepareBody = { type: 'object', properties: { msgTypeList: {} } } as const;
const decisionBody = {
  type: 'object',
  properties: {
    msgTypeList: {},
    accepted: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 64 } },
  },
} as const;

// Cloud storage and interactions: the fields are checked by the domain, 91000 naming the one at fault.
const cloudStorageBody = { type: 'object', properties: { KVDataList: {} } } as const;
const keyListQuery = {
  type: 'object',
  properties: {
    keyList: { type: 'string', maxLength: CLOUD_STORAGE_MAX_KEYS * (CLOUD_STORAGE_MAX_KEY_BYTES + 1) },
  },
} as const;
const interactionBody = {
  type: 'object',
  properties: { key: {}, opNum: {}, operation: {}, toUser: {}, title: {}, quiet: {} },
} as const;

const systemApi = { wxApi: 'requestSubscribeSystemMessage', invalidInput: Errors.TMPL_ID_INVALID } as const;

/**
 * Client API of mini games, for the platform shell (a signed-in user, never app credentials): the system
 * message dialog (`wx.requestSubscribeSystemMessage`), the player's cloud storage and their friends'
 * (`wx.setUserCloudStorage`, `wx.getFriendCloudStorage`) and friend interactions
 * (`wx.modifyFriendInteractiveStorage`). WeChat's codes answer in the wx API's fail shape (`wxApi`,
 * http/errors.ts); Beckon's (91000 bad input, 95001 not a mini game, 95002, sessions, unknown app) in the
 * default one.
 */
export function registerGameClientRoutes(client: FastifyInstance, ctx: Context): void {
  client.register(async (signedIn) => {
    requireSession(signedIn, ctx);

    signedIn.post<WithAppid & { Body: { msgTypeList?: unknown } | undefined }>(
      '/api/apps/:appid/system-subscriptions/prepare',
      { schema: { params: appidParam, body: prepareBody }, config: systemApi },
      (request): Promise<SystemSubscribeDialog> =>
        prepareSystemSubscription(ctx, request.params.appid, request.user.id, request.body?.msgTypeList),
    );

    signedIn.post<WithAppid & { Body: SystemSubscribeInput | undefined }>(
      '/api/apps/:appid/system-subscriptions',
      { schema: { params: appidParam, body: decisionBody }, config: systemApi },
      (request): Promise<SystemSubscribeResult> =>
        subscribeSystem(ctx, request.params.appid, request.user.id, request.body ?? {}),
    );

    signedIn.put<WithAppid & { Body: { KVDataList?: unknown } }>(
      '/api/apps/:appid/cloud-storage',
      { schema: { params: appidParam, body: cloudStorageBody }, config: { wxApi: 'setUserCloudStorage' } },
      (request) =>
        setUserCloudStorage(ctx, request.params.appid, request.user, request.body.KVDataList, {
          log: request.log,
        }),
    );

    signedIn.get<WithAppid & { Querystring: { keyList?: string } }>(
      '/api/apps/:appid/friend-cloud-storage',
      {
        schema: { params: appidParam, querystring: keyListQuery },
        config: { wxApi: 'getFriendCloudStorage' },
      },
      (request): Promise<FriendCloudStorage> =>
        getFriendCloudStorage(ctx, request.params.appid, request.user, request.query.keyList),
    );

    signedIn.post<WithAppid & { Body: FriendInteractionInput }>(
      '/api/apps/:appid/interactions',
      {
        schema: { params: appidParam, body: interactionBody },
        config: { wxApi: 'modifyFriendInteractiveStorage' },
      },
      (request) =>
        modifyFriendInteractiveStorage(ctx, request.params.appid, request.user, request.body, {
          log: request.log,
        }),
    );
  });
}
