import type { FastifyInstance } from 'fastify';
import { resolveSession } from '../accounts/sessions.js';
import type { Context } from '../context.js';
import type { SessionRecord, UserRecord } from '../store/port.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in platform user of a client-API request. */
    user: UserRecord;
    /** The session that authorised it (sign-out deletes it). */
    userSession: SessionRecord;
  }
}

/** Client routes that need a user: `Authorization: Bearer <session token>`, else 92004. */
export function requireSession(scope: FastifyInstance, ctx: Context): void {
  // A scope nested in another that already requires a session inherits the decorators.
  if (!scope.hasRequestDecorator('user')) {
    scope.decorateRequest('user', null as unknown as UserRecord);
    scope.decorateRequest('userSession', null as unknown as SessionRecord);
  }
  scope.addHook('onRequest', async (request) => {
    const header = request.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    const { user, session } = await resolveSession(ctx, token);
    request.user = user;
    request.userSession = session;
  });
}
