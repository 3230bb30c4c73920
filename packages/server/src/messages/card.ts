import { type InboxCard, isSysMsgType } from '@beckon/protocol';
import type { MessageRecord, PrivateTemplateRecord } from '../store/port.js';

export type CardRow = MessageRecord['rows'][number];

/**
 * The card's rows: one per keyword of the template, in the template's order, labelled with the keyword's
 * name (`订单号`) and holding the sent value as text. Values are stored as plain text, never markup: the
 * client renders them as text. Call after the data has passed the keyword rules (every key present).
 */
export function cardRows(
  template: Pick<PrivateTemplateRecord, 'keywords'>,
  data: Record<string, { value: unknown }>,
): CardRow[] {
  return template.keywords.map((k) => ({ label: k.name, value: String(data[k.key]!.value) }));
}

/** A stored message as the user's inbox shows it (pushed on send, listed by the inbox API). */
export function toInboxCard(record: MessageRecord): InboxCard {
  return {
    kind: isSysMsgType(record.templateId) ? 'system' : 'template',
    msgid: record.msgid.toString(),
    appid: record.appid,
    appName: record.appName,
    templateId: record.templateId,
    title: record.title,
    rows: record.rows.map((r) => ({ label: r.label, value: r.value })),
    page: record.page,
    lang: record.lang,
    miniprogramState: record.miniprogramState,
    createdAt: new Date(record.createdAt).toISOString(),
    read: record.readAt !== null,
  };
}
