import type { Lang, MiniprogramState } from '@beckon/protocol';

/** A delivered subscribe message: a card in the recipient's inbox. */
export interface MessageRecord {
  /** 64-bit, above 2^53, unique: kept as a bigint, never as a JS number. */
  msgid: bigint;
  appid: string;
  userId: string;
  openid: string;
  templateId: string;
  /** Copied at send time, so a card reads the same after the app or template changes. */
  appName: string;
  title: string;
  rows: { label: string; value: string }[];
  page: string | null;
  lang: Lang;
  miniprogramState: MiniprogramState;
  createdAt: number;
  readAt: number | null;
}

export type DeliverResult = 'delivered' | 'no-grant' | 'daily-cap' | 'duplicate-msgid';

export interface MessageStore {
  /**
   * The send's one transaction: counts the app's sends today against `dailyCap` ('daily-cap'), spends one
   * grant of (appid, userId, templateId) — one-time: remaining - 1 if above 0; long-term: active — or
   * answers 'no-grant', then inserts the message. Nothing is written unless it answers 'delivered'.
   */
  deliver(message: MessageRecord, day: string, dailyCap: number): Promise<DeliverResult>;
  get(userId: string, msgid: bigint): Promise<MessageRecord | undefined>;
  /**
   * The user's inbox, newest first; `before` is the msgid the previous page ended with. Undefined when
   * `before` is not one of the user's messages (a cursor is never guessed at).
   */
  inbox(userId: string, limit: number): Promise<MessageRecord[]>;
  inbox(userId: string, limit: number, before: bigint | undefined): Promise<MessageRecord[] | undefined>;
  unreadCount(userId: string): Promise<number>;
  /** Returns false when the user has no such message. Marking twice keeps the first time. */
  markRead(userId: string, msgid: bigint, at: number): Promise<boolean>;
  markAllRead(userId: string, at: number): Promise<number>;
}
