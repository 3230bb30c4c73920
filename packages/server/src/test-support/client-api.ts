import { expect } from 'vitest';
import { RID_SUFFIX, type TestServer } from './harness.js';

/** The client API (`/api/`) as the tests call it: a signed-in user's calls, and its errors' shape. */

type Body = Record<string, unknown> | undefined;

/** Calls through Fastify's inject as the signed-in `user` (`authorization: Bearer <token>`). */
export function callAs(s: TestServer, user: { token: string }) {
  return (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: Body) =>
    s.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${user.token}` },
      ...(payload === undefined ? {} : { payload }),
    });
}

/** A client API error: the registry's HTTP status and `{errcode, errmsg}`, the errmsg ending with the rid. */
export function expectApiError(
  res: { statusCode: number; json(): unknown },
  status: number,
  errcode: number,
): string {
  expect(res.statusCode).toBe(status);
  const body = res.json() as { errcode: number; errmsg: string };
  expect(body.errcode).toBe(errcode);
  expect(body.errmsg).toMatch(RID_SUFFIX);
  return body.errmsg;
}
