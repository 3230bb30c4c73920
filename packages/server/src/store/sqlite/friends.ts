import type Database from 'better-sqlite3';
import type { AddFriendshipResult, FriendRecord, FriendStore } from '../port.js';
import { statements } from './statements.js';

interface FriendRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  created_at: number;
  since: number;
}

const toFriend = (r: FriendRow): FriendRecord => ({
  user: {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    createdAt: r.created_at,
  },
  since: r.since,
});

/** Friendships as two rows, (a, b) and (b, a), always written and deleted together (migration 11). */
export class SqliteFriends implements FriendStore {
  private readonly sql;

  constructor(private readonly db: Database.Database) {
    this.sql = statements(db);
  }

  async add(a: string, b: string, since: number): Promise<AddFriendshipResult> {
    return this.db
      .transaction((): AddFriendshipResult => {
        const existing = this.since(a, b);
        if (existing !== undefined) return { status: 'existing', since: existing };
        const insert = this.sql('INSERT INTO friendships (user_id, friend_id, since) VALUES (?, ?, ?)');
        insert.run(a, b, since);
        insert.run(b, a, since);
        return { status: 'added', since };
      })
      .immediate();
  }

  async remove(a: string, b: string): Promise<boolean> {
    return this.db
      .transaction(() => {
        const del = this.sql('DELETE FROM friendships WHERE user_id = ? AND friend_id = ?');
        const removed = del.run(a, b).changes;
        del.run(b, a);
        return removed === 1;
      })
      .immediate();
  }

  async list(userId: string): Promise<FriendRecord[]> {
    const rows = this.sql(
      `SELECT u.*, f.since FROM friendships f JOIN users u ON u.id = f.friend_id
        WHERE f.user_id = ? ORDER BY lower(u.username), u.id`,
    ).all(userId) as FriendRow[];
    return rows.map(toFriend);
  }

  async areFriends(a: string, b: string): Promise<boolean> {
    return this.since(a, b) !== undefined;
  }

  private since(a: string, b: string): number | undefined {
    return this.sql('SELECT since FROM friendships WHERE user_id = ? AND friend_id = ?').pluck().get(a, b) as
      | number
      | undefined;
  }
}
