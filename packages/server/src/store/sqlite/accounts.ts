import type Database from 'better-sqlite3';
import type {
  AccountStore,
  AppUserRecord,
  LoginCodeRecord,
  SessionRecord,
  UseCodeResult,
  UserRecord,
} from '../port.js';
import { ReadCache } from './read-cache.js';
import { statements } from './statements.js';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  created_at: number;
}
const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
});

interface CodeRow {
  code: string;
  appid: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}
const toCode = (r: CodeRow): LoginCodeRecord => ({
  code: r.code,
  appid: r.appid,
  userId: r.user_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
});

interface AppUserRow {
  appid: string;
  user_id: string;
  openid: string;
  unionid: string;
  session_key: string;
  created_at: number;
}
const toAppUser = (r: AppUserRow): AppUserRecord => ({
  appid: r.appid,
  userId: r.user_id,
  openid: r.openid,
  unionid: r.unionid,
  sessionKey: r.session_key,
  createdAt: r.created_at,
});

export class SqliteAccounts implements AccountStore {
  private readonly sql;
  private readonly appUsers = new ReadCache<AppUserRecord>();

  constructor(private readonly db: Database.Database) {
    this.sql = statements(db);
  }

  async createUser(user: UserRecord): Promise<boolean> {
    const result = this.sql(
      `INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ).run(user.id, user.username, user.displayName, user.passwordHash, user.createdAt);
    return result.changes === 1;
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const row = this.sql('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  async getUserByName(username: string): Promise<UserRecord | undefined> {
    const row = this.sql('SELECT * FROM users WHERE lower(username) = lower(?)').get(username) as
      | UserRow
      | undefined;
    return row && toUser(row);
  }

  async createSession(s: SessionRecord): Promise<void> {
    this.sql('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(
      s.tokenHash,
      s.userId,
      s.createdAt,
      s.expiresAt,
    );
  }

  async getSession(tokenHash: string): Promise<SessionRecord | undefined> {
    const row = this.sql('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as
      | { token_hash: string; user_id: string; created_at: number; expires_at: number }
      | undefined;
    return (
      row && {
        tokenHash: row.token_hash,
        userId: row.user_id,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      }
    );
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.sql('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  async createLoginCode(c: LoginCodeRecord): Promise<void> {
    this.sql(
      'INSERT INTO login_codes (code, appid, user_id, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(c.code, c.appid, c.userId, c.createdAt, c.expiresAt, c.usedAt);
  }

  async getLoginCode(code: string): Promise<LoginCodeRecord | undefined> {
    const row = this.sql('SELECT * FROM login_codes WHERE code = ?').get(code) as CodeRow | undefined;
    return row && toCode(row);
  }

  async useLoginCode(code: string, now: number): Promise<UseCodeResult> {
    return this.db
      .transaction((): UseCodeResult => {
        const row = this.sql('SELECT * FROM login_codes WHERE code = ?').get(code) as CodeRow | undefined;
        if (!row) return { status: 'unknown' };
        if (row.used_at !== null) return { status: 'used', code: toCode(row) };
        this.sql('UPDATE login_codes SET used_at = ? WHERE code = ?').run(now, code);
        return { status: 'ok', code: { ...toCode(row), usedAt: now } };
      })
      .immediate();
  }

  async saveAppUser(r: AppUserRecord): Promise<AppUserRecord> {
    // The session key changes; the openid never does, so the cached row is found by the saved one.
    this.appUsers.drop(`${r.appid}:${r.openid}`);
    const saved = this.saveAppUserTx(r);
    this.appUsers.drop(`${saved.appid}:${saved.openid}`);
    return saved;
  }

  private saveAppUserTx(r: AppUserRecord): AppUserRecord {
    return this.db
      .transaction(() => {
        this.sql(
          `INSERT INTO app_users (appid, user_id, openid, unionid, session_key, created_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (appid, user_id) DO UPDATE SET session_key = excluded.session_key`,
        ).run(r.appid, r.userId, r.openid, r.unionid, r.sessionKey, r.createdAt);
        return toAppUser(
          this.sql('SELECT * FROM app_users WHERE appid = ? AND user_id = ?').get(
            r.appid,
            r.userId,
          ) as AppUserRow,
        );
      })
      .immediate();
  }

  async getAppUser(appid: string, userId: string): Promise<AppUserRecord | undefined> {
    const row = this.sql('SELECT * FROM app_users WHERE appid = ? AND user_id = ?').get(appid, userId) as
      | AppUserRow
      | undefined;
    return row && toAppUser(row);
  }

  async getAppUserByOpenid(appid: string, openid: string): Promise<AppUserRecord | undefined> {
    return this.appUsers.get(`${appid}:${openid}`, () => {
      const row = this.sql('SELECT * FROM app_users WHERE appid = ? AND openid = ?').get(appid, openid) as
        | AppUserRow
        | undefined;
      return row && toAppUser(row);
    });
  }
}
