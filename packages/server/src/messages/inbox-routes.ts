import type { InboxPage } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { requireSession } from '../http/session-auth.js';
import { inboxPage, markAllRead, markRead, type PageQuery, stopFromCard, unreadCount } from './inbox.js';

// msgids travel as decimal strings (they exceed 2^53); 19 digits hold every 64-bit value.
const msgidText = { type: 'string', pattern: '^[0-9]{1,19}$' } as const;

const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { cursor: msgidText, limit: { type: 'string', maxLength: 3 } },
} as const;

const msgidParams = {
  type: 'object',
  required: ['msgid'],
  properties: { msgid: msgidText },
} as const;

const noQuery = { querystring: { type: 'object' } } as const;

type MsgidParams = { msgid: string };

/**
 * Client API of the Service Notifications inbox: the signed-in user's own cards only. The values come
 * back exactly as sent, as JSON: rendering them as text (never as HTML) is the client's job.
 */
export function registerInboxRoutes(client: FastifyInstance, ctx: Context): void {
  client.register(async (signedIn) => {
    requireSession(signedIn, ctx);

    signedIn.get<{ Querystring: PageQuery }>(
      '/api/inbox',
      { schema: { querystring: pageQuery } },
      (request): Promise<InboxPage> => inboxPage(ctx, request.user.id, request.query),
    );

    signedIn.get('/api/inbox/unread-count', { schema: noQuery }, async (request) => ({
      unread: await unreadCount(ctx, request.user.id),
    }));

    // 0, unless a card arrived in between: the count is read after the update, never assumed.
    signedIn.post('/api/inbox/read-all', { schema: noQuery }, async (request) => ({
      unread: await markAllRead(ctx, request.user.id),
    }));

    signedIn.post<{ Params: MsgidParams }>(
      '/api/inbox/:msgid/read',
      { schema: { params: msgidParams } },
      async (request) => ({ read: true, unread: await markRead(ctx, request.user.id, request.params.msgid) }),
    );

    signedIn.post<{ Params: MsgidParams }>(
      '/api/inbox/:msgid/stop',
      { schema: { params: msgidParams } },
      async (request) => ({
        stopped: true,
        templateId: await stopFromCard(ctx, request.user.id, request.params.msgid),
      }),
    );
  });
}
