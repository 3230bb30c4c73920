import type Database from 'better-sqlite3';
import type { MessageRecord } from '../port.js';
import { statements } from './statements.js';

/**
 * A user's inbox as a chain: each card names the user's previous card (`messages.previous_msgid`, the next
 * smaller msgid), and `inboxes` holds the newest card and the unread count. A send appends: one message
 * row at the end of the table and one small inbox row, where two per-user indexes on `messages` (inbox
 * order, unread) cost two entries at random places in two large B-trees, the send's main SQLite cost (in
 * one run of bench/send.bench.js, dropping both took the send from 0.18 to 0.26 of the ceiling). Reads
 * walk the chain by primary key: a page of 20 cards is 20 lookups, the unread count is one; a page cursor
 * must be one of the user's cards (the previous page's last).
 *
 * The chain is kept in msgid order. A process mints increasing msgids and delivers them in that order, so a
 * send nearly always becomes the new head; an older msgid (another node's, or a test's) is spliced in place.
 */
export class InboxChain {
  private readonly sql;
  /** msgids exceed 2^53: statements that read them return bigints. */
  private readonly big;

  constructor(db: Database.Database) {
    this.sql = statements(db);
    const plain = this.sql;
    this.big = (text: string) => plain(text).safeIntegers(true);
  }

  /**
   * Stores `m` in its user's chain; false, writing nothing, when its msgid is taken. Runs inside the
   * caller's transaction.
   */
  append(m: MessageRecord): boolean {
    const unread = m.readAt === null ? 1 : 0;
    const head = this.head(m.userId);
    if (head === undefined || m.msgid > head.newest) {
      if (!this.insert(m, head?.newest ?? null)) return false;
      if (head === undefined) {
        this.sql('INSERT INTO inboxes (user_id, newest_msgid, unread) VALUES (?, ?, ?)').run(
          m.userId,
          m.msgid,
          unread,
        );
      } else {
        this.sql('UPDATE inboxes SET newest_msgid = ?, unread = unread + ? WHERE user_id = ?').run(
          m.msgid,
          unread,
          m.userId,
        );
      }
      return true;
    }
    // Older than the head: find the card it goes before (`next`) and the one it goes after (`previous`).
    let next = head.newest;
    for (;;) {
      if (next === m.msgid) return false;
      const previous = this.previousOf(next);
      if (previous === null || previous < m.msgid) {
        if (previous === m.msgid || !this.insert(m, previous)) return false;
        this.big('UPDATE messages SET previous_msgid = ? WHERE msgid = ?').run(m.msgid, next);
        this.sql('UPDATE inboxes SET unread = unread + ? WHERE user_id = ?').run(unread, m.userId);
        return true;
      }
      next = previous;
    }
  }

  /**
   * The user's cards, newest first, from the head or from the card before `before` (a msgid of an earlier
   * page); undefined when `before` is not one of the user's cards. Refused rather than walked: a cursor
   * that is no card of the user's could only be found by walking the whole chain.
   */
  page(userId: string, limit: number, before?: bigint): MessageRow[] | undefined {
    let at: bigint | null;
    if (before === undefined) {
      at = this.head(userId)?.newest ?? null;
    } else {
      const start = this.big('SELECT previous_msgid FROM messages WHERE msgid = ? AND user_id = ?')
        .pluck()
        .get(before, userId) as bigint | null | undefined;
      if (start === undefined) return undefined;
      at = start;
    }
    const rows: MessageRow[] = [];
    while (at !== null && rows.length < limit) {
      const row = this.big('SELECT * FROM messages WHERE msgid = ?').get(at) as MessageRow;
      rows.push(row);
      at = row.previous_msgid;
    }
    return rows;
  }

  /** One of the user's cards; another user's msgid is as unknown as one that never was. */
  card(userId: string, msgid: bigint): MessageRow | undefined {
    return this.big('SELECT * FROM messages WHERE msgid = ? AND user_id = ?').get(msgid, userId) as
      | MessageRow
      | undefined;
  }

  unread(userId: string): number {
    return (this.sql('SELECT unread FROM inboxes WHERE user_id = ?').pluck().get(userId) as number) ?? 0;
  }

  /** Marks one card read (keeping an earlier time); false when the user has no such card. */
  markRead(userId: string, msgid: bigint, at: number): boolean {
    const card = this.big('SELECT read_at FROM messages WHERE msgid = ? AND user_id = ?').get(
      msgid,
      userId,
    ) as { read_at: bigint | null } | undefined;
    if (!card) return false;
    if (card.read_at === null) {
      this.big('UPDATE messages SET read_at = ? WHERE msgid = ?').run(at, msgid);
      this.sql('UPDATE inboxes SET unread = unread - 1 WHERE user_id = ?').run(userId);
    }
    return true;
  }

  /**
   * Marks every unread card read. The walk stops at the oldest unread card, usually among the newest; one
   * old card left unread behind many read ones makes it walk to that card (a lookup per card).
   */
  markAllRead(userId: string, at: number): number {
    const unread = this.unread(userId);
    let left = unread;
    let marked = 0;
    let card = left > 0 ? (this.head(userId)?.newest ?? null) : null;
    while (left > 0 && card !== null) {
      const row = this.big('SELECT previous_msgid, read_at FROM messages WHERE msgid = ?').get(card) as {
        previous_msgid: bigint | null;
        read_at: bigint | null;
      };
      if (row.read_at === null) {
        this.big('UPDATE messages SET read_at = ? WHERE msgid = ?').run(at, card);
        left--;
        marked++;
      }
      card = row.previous_msgid;
    }
    // Also when fewer were found than counted (the walk reached the end): the count starts right again.
    if (unread > 0) this.sql('UPDATE inboxes SET unread = 0 WHERE user_id = ?').run(userId);
    return marked;
  }

  private head(userId: string): { newest: bigint } | undefined {
    const newest = this.big('SELECT newest_msgid FROM inboxes WHERE user_id = ?').pluck().get(userId) as
      | bigint
      | undefined;
    return newest === undefined ? undefined : { newest };
  }

  private previousOf(msgid: bigint): bigint | null {
    return this.big('SELECT previous_msgid FROM messages WHERE msgid = ?').pluck().get(msgid) as
      | bigint
      | null;
  }

  private insert(m: MessageRecord, previous: bigint | null): boolean {
    return (
      this.sql(
        `INSERT INTO messages (msgid, appid, user_id, openid, template_id, app_name, title, rows, page, lang,
           miniprogram_state, created_at, read_at, previous_msgid)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (msgid) DO NOTHING`,
      ).run(
        m.msgid,
        m.appid,
        m.userId,
        m.openid,
        m.templateId,
        m.appName,
        m.title,
        JSON.stringify(m.rows),
        m.page,
        m.lang,
        m.miniprogramState,
        m.createdAt,
        m.readAt,
        previous,
      ).changes === 1
    );
  }
}

export interface MessageRow {
  msgid: bigint;
  appid: string;
  user_id: string;
  openid: string;
  template_id: string;
  app_name: string;
  title: string;
  rows: string;
  page: string | null;
  lang: MessageRecord['lang'];
  miniprogram_state: MessageRecord['miniprogramState'];
  created_at: bigint;
  read_at: bigint | null;
  previous_msgid: bigint | null;
}
