import { LANGS, MINIPROGRAM_STATES } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { contentPolicy } from './content-policy.js';
import { type SendInput, sendMessage } from './send.js';

/*
 * The schema checks JSON types only (a wrong type is 47001 data format error, naming the field); missing or
 * empty fields and every rule are the pipeline's, so they get WeChat's own codes in WeChat's order. Optional
 * fields may be null or "" (SDKs in typed languages send them so) and then mean "not given".
 */
const maybeString = { type: ['string', 'null'] } as const;
const oneOf = (values: readonly string[]) =>
  ({ type: ['string', 'null'], enum: [...values, '', null] }) as const;
const sendBody = {
  type: 'object',
  properties: {
    touser: maybeString,
    template_id: maybeString,
    page: maybeString,
    data: {},
    miniprogram_state: oneOf(MINIPROGRAM_STATES),
    lang: oneOf(LANGS),
  },
} as const;

/** `POST /cgi-bin/message/subscribe/send`. Behind the access-token hook (`request.wxApp`). */
export function registerSendRoutes(scope: FastifyInstance, ctx: Context): void {
  // Read the word lists now, at start: a broken operator file stops the server instead of every send.
  contentPolicy(ctx);

  scope.post<{ Body: SendInput | undefined }>(
    '/cgi-bin/message/subscribe/send',
    { schema: { body: sendBody } },
    async (request, reply) => {
      const record = await sendMessage(ctx, request.wxApp, request.body ?? {}, { log: request.log });
      // The msgid is above 2^53: written by hand as an exact JSON integer (JSON.stringify cannot write a bigint).
      return reply
        .type('application/json; charset=utf-8')
        .send(`{"errcode":0,"errmsg":"ok","msgid":${record.msgid.toString()}}`);
    },
  );
}
