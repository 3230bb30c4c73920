import { ApiError, Errors } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import { sameSecret } from '../ids.js';

/** Admin routes: `Authorization: Bearer <admin token>`. */
export function requireAdmin(scope: FastifyInstance, adminToken: string): void {
  scope.addHook('onRequest', async (request) => {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token || !sameSecret(token, adminToken)) throw new ApiError(Errors.ADMIN_UNAUTHORIZED);
  });
}
