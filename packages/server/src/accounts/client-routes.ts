import {
  ApiError,
  Errors,
  type RegisterRequest,
  type SessionResponse,
  type SignInRequest,
  type UserView,
  type WxLoginResponse,
} from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { appidParam, type WithAppid } from '../http/admin-params.js';
import { requireSession } from '../http/session-auth.js';
import { issueLoginCode } from './login-codes.js';
import { signIn, signOut } from './sessions.js';
import { findUser, register, toUserView } from './users.js';

// Lengths are checked by the service with readable messages; the schema only bounds the work per request.
const text = { type: 'string', maxLength: 1024 } as const;

const registerBody = {
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: { username: text, password: text, displayName: text },
} as const;

const signInBody = {
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: { username: text, password: text },
} as const;

const noQuery = { querystring: { type: 'object' } } as const;

/** Client API for the platform shell: accounts, sessions, and `wx.login` inside an app. */
export function registerAccountClientRoutes(client: FastifyInstance, ctx: Context): void {
  client.post<{ Body: RegisterRequest }>(
    '/api/accounts',
    { schema: { body: registerBody } },
    async (request, reply) => {
      const user = await register(ctx, request.body);
      return reply.code(201).send({ user: toUserView(user) });
    },
  );

  client.post<{ Body: SignInRequest }>(
    '/api/sessions',
    { schema: { body: signInBody } },
    async (request, reply) => {
      try {
        const { token, session, user } = await signIn(ctx, request.body, request.ip);
        const body: SessionResponse = {
          token,
          expiresAt: new Date(session.expiresAt).toISOString(),
          user: toUserView(user),
        };
        return reply.code(201).send(body);
      } catch (err) {
        // The lockout ends at most a window from now (the marker's exact age is not kept).
        if (err instanceof ApiError && err.code === Errors.TOO_MANY_SIGN_INS.code) {
          reply.header('retry-after', String(Math.ceil(ctx.config.limits.failedSignInWindowMs / 1000)));
        }
        throw err;
      }
    },
  );

  client.register(async (signedIn) => {
    requireSession(signedIn, ctx);

    signedIn.get(
      '/api/me',
      { schema: noQuery },
      async (request): Promise<{ user: UserView }> => ({
        user: toUserView(request.user),
      }),
    );

    // Looking a person up to call or befriend: the public view only, by username in any letter case.
    signedIn.get<{ Params: { username: string } }>(
      '/api/users/:username',
      {
        schema: {
          params: {
            type: 'object',
            required: ['username'],
            properties: { username: { type: 'string', maxLength: 64 } },
          },
          querystring: { type: 'object' },
        },
      },
      async (request): Promise<{ user: UserView }> => ({
        user: toUserView(await findUser(ctx, request.params.username)),
      }),
    );

    signedIn.delete('/api/sessions/current', { schema: noQuery }, async (request, reply) => {
      await signOut(ctx, request.userSession);
      return reply.code(204).send();
    });

    signedIn.post<WithAppid>(
      '/api/apps/:appid/login',
      { schema: { params: appidParam } },
      async (request): Promise<WxLoginResponse> => ({
        code: await issueLoginCode(ctx, request.user.id, request.params.appid),
        errMsg: 'login:ok',
      }),
    );
  });
}
