import { Errors } from '@beckon/protocol';

/**
 * An answer from WeChat (or Beckon) with a non-zero `errcode`. Network failures are not wrapped: they surface
 * as the `fetch` error itself.
 *
 * @example
 * try { await client.subscribe.send(req); } catch (e) { if (e instanceof WeChatError && e.errcode === 43101) …; }
 */
export class WeChatError extends Error {
  /** The request id WeChat appends to every errmsg (` rid: …`), when there is one. */
  readonly rid: string | undefined;

  constructor(
    readonly errcode: number,
    /** The errmsg exactly as answered, rid included. */
    readonly errmsg: string,
    /** The API path that answered, e.g. `/cgi-bin/message/subscribe/send`. */
    readonly path?: string,
  ) {
    super(`${path ? `${path}: ` : ''}${errcode} ${errmsg}`);
    this.name = 'WeChatError';
    this.rid = / rid: ([\w-]+)\s*$/.exec(errmsg)?.[1];
  }
}

/** The API answered with something that is not a WeChat JSON answer (an HTML error page, a proxy's 502…). */
export class WeChatHttpError extends Error {
  constructor(
    readonly status: number,
    /** The first 200 characters of the body. */
    readonly body: string,
    readonly path: string,
  ) {
    super(`${path}: HTTP ${status}, not a WeChat answer: ${body}`);
    this.name = 'WeChatHttpError';
  }
}

/** The access token was refused: 40001 (invalid or superseded), 42001 (expired). */
export const TOKEN_REFUSED_CODES: ReadonlySet<number> = new Set([
  Errors.INVALID_CREDENTIAL.code,
  Errors.ACCESS_TOKEN_EXPIRED.code,
]);
