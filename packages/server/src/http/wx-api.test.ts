import { ApiError, type ErrorDef, Errors } from '@beckon/protocol';
import Fastify from 'fastify';
import { afterEach, expect, test } from 'vitest';
import { registerErrorHandling } from './errors.js';

/** A bare Fastify numbers requests `req-N`; buildServer's ids are tested in errors.test.ts. */
const RID = / rid: \S+$/;

// The `wxApi` route config (errors.ts): WeChat's codes answer as the client API's fail callback sees them.

const app = Fastify();
registerErrorHandling(app);
let thrown: Error = new Error('unset');
const body = { type: 'object', properties: { n: { type: 'integer' } } } as const;
app.post(
  '/api/wx',
  { schema: { body }, config: { wxApi: 'requestSubscribeMessage', invalidInput: Errors.TMPL_ID_INVALID } },
  () => {
    throw thrown;
  },
);
app.post('/api/plain', { schema: { body } }, () => {
  throw thrown;
});
afterEach(() => {
  thrown = new Error('unset');
});

const post = (url: string, payload: object = {}) => app.inject({ method: 'POST', url, payload });

async function answer(def: ErrorDef, url = '/api/wx') {
  thrown = new ApiError(def);
  return post(url);
}

test('a WeChat code on a wxApi route: {errCode, errMsg: "<api>:fail <message>"} with the registry status', async () => {
  for (const def of [
    Errors.TMPL_IDS_EMPTY,
    Errors.MAIN_SWITCH_OFF,
    Errors.TEMPLATE_BANNED,
    Errors.INVALID_TEMPLATE_ID,
  ]) {
    const res = await answer(def);
    expect(res.statusCode).toBe(def.status);
    expect(res.json()).toEqual({ errCode: def.code, errMsg: `requestSubscribeMessage:fail ${def.message}` });
  }
});

test('Beckon’s codes and faults keep the default shape on a wxApi route', async () => {
  for (const def of [Errors.APP_NOT_FOUND, Errors.SESSION_INVALID, Errors.INVALID_REQUEST]) {
    const res = await answer(def);
    expect(res.statusCode).toBe(def.status);
    expect(res.json()).toEqual({ errcode: def.code, errmsg: expect.stringMatching(RID) });
  }
  thrown = new Error('boom');
  const fault = await post('/api/wx');
  expect(fault.statusCode).toBe(500);
  expect(fault.json()).toEqual({ errcode: -1, errmsg: expect.stringMatching(/^system error rid: /) });
});

test('a schema failure on a wxApi route is its invalidInput code, in the API shape', async () => {
  const res = await post('/api/wx', { n: 'x' });
  expect(res.statusCode).toBe(400);
  expect(res.json()).toEqual({
    errCode: 10004,
    errMsg: 'requestSubscribeMessage:fail Invalid template id: body/n must be integer',
  });
});

test('a route without wxApi is unchanged', async () => {
  const res = await answer(Errors.TMPL_IDS_EMPTY, '/api/plain');
  expect(res.statusCode).toBe(400);
  expect(res.json()).toEqual({
    errcode: 10001,
    errmsg: expect.stringMatching(/^TmplIds can't be empty rid: /),
  });
});
