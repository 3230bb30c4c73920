import { expect } from 'vitest';
import { RID_SUFFIX } from './harness.js';

/** The client API (`/api/`) as the tests see it: its errors' shape. */

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
