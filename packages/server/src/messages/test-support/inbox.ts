import { expect } from 'vitest';
import { openidFor } from '../../accounts/openids.js';
import { chinaDay } from '../../clock.js';
import type { MessageRecord } from '../../store/port.js';
import { findPrivateTemplate } from '../../templates/service.js';
import type { TestServer } from '../../test-support/harness.js';

/** msgids above 2^53, as WeChat's are: a test that loses precision fails. */
export const MSGID_BASE = 3248682510344192000n;

export interface CardInput {
  app: { appid: string; name: string };
  userId: string;
  templateId: string;
  msgid: bigint;
  rows?: MessageRecord['rows'];
  page?: string | null;
}

/**
 * Puts one message in a user's inbox the way the send pipeline does it, straight through the stores: the
 * user accepts the template once (a grant), then the message spends it.
 */
export async function deliverCard(s: TestServer, input: CardInput): Promise<MessageRecord> {
  const { app, userId, templateId, msgid } = input;
  const template = await findPrivateTemplate(s.ctx, app.appid, templateId);
  if (!template) throw new Error(`no template ${templateId}`);
  const now = s.clock.now();
  await s.ctx.store.consent.recordDecisions(
    app.appid,
    userId,
    [{ templateId, templateType: template.type, status: 'accept', source: 'popup' }],
    now,
  );
  const record: MessageRecord = {
    msgid,
    appid: app.appid,
    userId,
    openid: await openidFor(s.ctx, app.appid, userId),
    templateId,
    appName: app.name,
    title: template.title,
    rows: input.rows ?? template.keywords.map((k) => ({ label: k.name, value: `${k.key} of ${msgid}` })),
    page: input.page ?? null,
    lang: 'zh_CN',
    miniprogramState: 'formal',
    createdAt: now,
    readAt: null,
  };
  expect(await s.ctx.store.messages.deliver(record, chinaDay(now), 1_000_000)).toBe('delivered');
  return record;
}
