/**
 * Subscribe-message send and the Service Notifications inbox (spec §1.3, §6.4): the send request, the
 * card a user reads, and the client API's inbox shapes.
 */

export const MINIPROGRAM_STATES = ['developer', 'trial', 'formal'] as const;
export type MiniprogramState = (typeof MINIPROGRAM_STATES)[number];
export const LANGS = ['zh_CN', 'en_US', 'zh_HK', 'zh_TW'] as const;
export type Lang = (typeof LANGS)[number];

/** Default daily send cap per app (spec §1.3: 10,000,000 for apps without payment capability). */
export const DEFAULT_DAILY_SEND_CAP = 10_000_000;

/** `POST /cgi-bin/message/subscribe/send` body. */
export interface SendRequest {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: unknown }>;
  miniprogram_state?: MiniprogramState;
  lang?: Lang;
}

/** One delivered message, as a card in the user's one Service Notifications thread. */
export interface InboxCard {
  /**
   * `template`: a subscribe message the app's backend sent. `system`: a mini game's system message the
   * platform sent (games.ts); its `templateId` is the SYS_MSG_TYPE_*, and stopping it turns that type off.
   */
  kind: 'template' | 'system';
  /** The 64-bit msgid as a decimal string: JavaScript numbers cannot hold it exactly. */
  msgid: string;
  appid: string;
  appName: string;
  templateId: string;
  title: string;
  /** One row per keyword, in the template's order: label and value, always plain text. */
  rows: { label: string; value: string }[];
  /** The page the card opens, with its query; null when the send named none (the card has no jump). */
  page: string | null;
  lang: Lang;
  miniprogramState: MiniprogramState;
  /** ISO 8601 */
  createdAt: string;
  read: boolean;
}

/** `GET /api/inbox?cursor=&limit=` answer: newest first; `nextCursor` null on the last page. */
export interface InboxPage {
  cards: InboxCard[];
  nextCursor: string | null;
}

export const INBOX_PAGE_MAX = 50;
