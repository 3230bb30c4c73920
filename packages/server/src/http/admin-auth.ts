import { timingSafeEqual } from 'node:crypto';
import { ApiError, Errors } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Admin routes: `Authorization: Bearer <admin token>`. */
export function requireAdmin(scope: FastifyInstance, adminToken: string): void {
  scope.addHook('onRequest', async (request) => {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token || !same(token, adminToken)) throw new ApiError(Errors.ADMIN_UNAUTHORIZED);
  });
}
