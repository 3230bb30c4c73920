import { ApiError, type ErrorDef, Errors, wechatError } from '@beckon/protocol';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isWechatPath } from './audience.js';
import { noteError } from './request-log.js';
import { isPageNavigation, sendWebApp } from './web-app.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The registry entry a schema failure on this route maps to (default: 47001 data format error). */
    invalidInput?: ErrorDef;
    /**
     * The WeChat client API the route stands in for (e.g. `requestSubscribeMessage`). WeChat's own codes
     * then answer as that API's fail callback sees them, `{errCode, errMsg: "<wxApi>:fail <message>"}`,
     * with the registry status; Beckon's codes (9xxxx: session, unknown app…) and -1 keep the default shape,
     * since they are failures of the shell, not of the API.
     */
    wxApi?: string;
  }
}

/** WeChat's codes: all but Beckon's 9xxxx and -1 (a fault is never the API's answer). */
const isWechatCode = (code: number) => code > 0 && (code < 90000 || code > 99999);

/** Sends an error in the shape of the request's audience. */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  err: { code: number; message: string; status: number },
) {
  const wxApi = request.routeOptions.config?.wxApi;
  if (wxApi && isWechatCode(err.code)) {
    return reply.code(err.status).send({ errCode: err.code, errMsg: `${wxApi}:fail ${err.message}` });
  }
  const body = wechatError(err, request.id);
  if (isWechatPath(request.url)) return reply.code(200).send(body);
  // Client and admin routes get the same body; the rid suffix stays so a user can quote it in a report.
  return reply.code(err.status).send(body);
}

/** Maps Fastify's own errors (schema, body parsing) to registry entries. */
function toApiError(request: FastifyRequest, err: FastifyError): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err.validation) {
    if (err.validationContext === 'body' && request.body === undefined)
      return new ApiError(Errors.EMPTY_POST_DATA);
    const def =
      request.routeOptions.config?.invalidInput ??
      (isWechatPath(request.url) ? Errors.DATA_FORMAT : Errors.INVALID_REQUEST);
    const where = err.validationContext ?? 'request';
    return new ApiError(def, `${def.message}: ${where}${err.message.replace(/^[a-z]+/, '')}`);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(Errors.EMPTY_POST_DATA);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return ApiError.because(Errors.DATA_FORMAT, `${err.message}`);
  }
  // Any other 4xx from Fastify or a plugin is the client's doing: never report it as a server fault.
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return ApiError.invalidRequest(err.message);
  }
  return undefined;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const known = toApiError(request, err);
    // Logged once, in the request's line (request-log.ts): the errcode, and for a fault the error itself.
    if (known) {
      noteError(reply, known.code);
      return sendError(request, reply, known);
    }
    noteError(reply, Errors.SYSTEM_ERROR.code, err);
    return sendError(request, reply, Errors.SYSTEM_ERROR);
  });

  app.setNotFoundHandler((request, reply) => {
    // A reload of one of the phone's screens (`/notifications`): the app routes it in the browser.
    if (isPageNavigation(request)) return sendWebApp(reply);
    // WeChat answers an unknown path (e.g. `/sns/jsCode2Session`, wrong case) with 40066 invalid url.
    const def = isWechatPath(request.url) ? Errors.INVALID_URL : Errors.NOT_FOUND;
    noteError(reply, def.code);
    return sendError(request, reply, def);
  });
}
