import { type ErrorDef, type WxFail, wxFailMsg } from '@beckon/protocol';
import { PlatformError } from '../../platform/http.js';

/** A wx call's failure, thrown by a handler and answered as WeChat's fail result. */
export class WxFailure extends Error {
  constructor(readonly result: WxFail) {
    super(result.errMsg);
  }
}

/** `"<api>:fail <reason>"`, with `errCode` where WeChat has one. */
export const failure = (api: string, reason: string, errCode?: number): WxFailure =>
  new WxFailure({ errMsg: wxFailMsg(api, reason), ...(errCode !== undefined ? { errCode } : {}) });

/** One of the registry's wx fail codes (10001…20005): `{errCode, errMsg: "<api>:fail <message>"}`. */
export const failureOf = (api: string, def: ErrorDef): WxFailure => failure(api, def.message, def.code);

/**
 * A failed client-API request as the API's failure: `onNetwork` when no answer came (10002/10003 for the
 * consent routes); the server's own `{errCode, errMsg}` when the route answers in the API's shape; else the
 * server's message.
 */
export function fromPlatform(api: string, err: unknown, onNetwork?: ErrorDef): WxFailure {
  if (!(err instanceof PlatformError)) return failure(api, (err as Error)?.message ?? String(err));
  if (err.network) return onNetwork ? failureOf(api, onNetwork) : failure(api, 'network error');
  const body = err.body as { errMsg?: unknown; errCode?: unknown } | undefined;
  if (typeof body?.errMsg === 'string')
    return new WxFailure({
      errMsg: body.errMsg,
      ...(typeof body.errCode === 'number' ? { errCode: body.errCode } : {}),
    });
  return failure(api, err.message);
}
