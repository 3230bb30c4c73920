import {
  Errors,
  MAX_PRIVATE_TEMPLATES,
  type SettingChange,
  type SettingResult,
  type SettingsPage,
  type SubscribeDialog,
  type SubscribeResult,
  SYS_MSG_TYPES,
} from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { appidParam, type WithAppid } from '../http/admin-params.js';
import { requireSession } from '../http/session-auth.js';
import { prepareSubscription } from './dialog.js';
import { changeSettings, getSettings } from './settings.js';
import { settingsPage } from './settings-page.js';
import { type SubscribeInput, subscribe } from './subscribe.js';

/*
 * `tmplIds` is named but not constrained: its codes (10001 empty, 10004 not ids, 20003 too many) come in
 * WeChat's order from the domain. What the schemas do check is the shell's own part of the body; a failure
 * there is 10004 (`accepted` and `keepChoice` describe template ids too).
 */
const prepareBody = { type: 'object', properties: { tmplIds: {} } } as const;

const decisionBody = {
  type: 'object',
  properties: {
    tmplIds: {},
    accepted: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 256 } },
    keepChoice: { type: 'boolean' },
  },
} as const;

// A schema failure here is the shell's fault: the default 91000 invalid request, in the default shape.
const settingBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mainSwitch: { type: 'boolean' },
    itemSettings: {
      type: 'object',
      // A mini game's system message types are items too (games/system-settings.ts).
      maxProperties: MAX_PRIVATE_TEMPLATES + SYS_MSG_TYPES.length,
      additionalProperties: { type: 'string', enum: ['accept', 'reject'] },
    },
  },
} as const;

/**
 * Client API of the consent ledger, for the platform shell (never app credentials): the signed-in user
 * answers for themselves only. Failures of the WeChat API a route stands in for answer in that API's shape
 * (`wxApi`, http/errors.ts).
 */
export function registerConsentRoutes(client: FastifyInstance, ctx: Context): void {
  client.register(async (signedIn) => {
    requireSession(signedIn, ctx);

    signedIn.post<WithAppid & { Body: { tmplIds?: unknown } | undefined }>(
      '/api/apps/:appid/subscriptions/prepare',
      {
        schema: { params: appidParam, body: prepareBody },
        config: { wxApi: 'requestSubscribeMessage', invalidInput: Errors.TMPL_ID_INVALID },
      },
      (request): Promise<SubscribeDialog> =>
        prepareSubscription(ctx, request.params.appid, request.user.id, request.body?.tmplIds),
    );

    signedIn.post<WithAppid & { Body: SubscribeInput | undefined }>(
      '/api/apps/:appid/subscriptions',
      {
        schema: { params: appidParam, body: decisionBody },
        config: { wxApi: 'requestSubscribeMessage', invalidInput: Errors.TMPL_ID_INVALID },
      },
      async (request): Promise<SubscribeResult> =>
        (await subscribe(ctx, request.params.appid, request.user.id, request.body ?? {})).result,
    );

    signedIn.get<WithAppid>(
      '/api/apps/:appid/settings',
      { schema: { params: appidParam, querystring: { type: 'object' } }, config: { wxApi: 'getSetting' } },
      (request): Promise<SettingResult> => getSettings(ctx, request.params.appid, request.user.id),
    );

    // The phone's own page (titles beside ids), in the client API's default shapes.
    signedIn.get<WithAppid>(
      '/api/apps/:appid/settings/page',
      { schema: { params: appidParam, querystring: { type: 'object' } } },
      (request): Promise<SettingsPage> => settingsPage(ctx, request.params.appid, request.user.id),
    );

    signedIn.put<WithAppid & { Body: SettingChange }>(
      '/api/apps/:appid/settings',
      { schema: { params: appidParam, body: settingBody }, config: { wxApi: 'openSetting' } },
      (request): Promise<SettingResult> =>
        changeSettings(ctx, request.params.appid, request.user.id, request.body),
    );
  });
}
