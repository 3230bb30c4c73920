/** A platform user: one account across every app on the platform. */
export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  /** `scrypt$N$r$p$salt$hash`, see accounts/passwords.ts */
  passwordHash: string;
  createdAt: number;
}

export interface SessionRecord {
  /** sha256 of the bearer token; the token itself is never stored. */
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

/** A `wx.login` code: single use, 5 minutes, for one (user, app). */
export interface LoginCodeRecord {
  code: string;
  appid: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/** A user as one app sees them: the openid is stable per (user, app), the unionid per (user, owner). */
export interface AppUserRecord {
  appid: string;
  userId: string;
  openid: string;
  unionid: string;
  sessionKey: string;
  createdAt: number;
}

export type UseCodeResult =
  | { status: 'ok'; code: LoginCodeRecord }
  | { status: 'unknown' }
  | { status: 'used'; code: LoginCodeRecord };

export interface AccountStore {
  /** Returns false when the username is taken (usernames compare case-insensitively). */
  createUser(user: UserRecord): Promise<boolean>;
  getUser(id: string): Promise<UserRecord | undefined>;
  getUserByName(username: string): Promise<UserRecord | undefined>;

  createSession(session: SessionRecord): Promise<void>;
  getSession(tokenHash: string): Promise<SessionRecord | undefined>;
  deleteSession(tokenHash: string): Promise<void>;

  createLoginCode(code: LoginCodeRecord): Promise<void>;
  /** Reads a code without using it (to tell an expired or other app's code from a used one). */
  getLoginCode(code: string): Promise<LoginCodeRecord | undefined>;
  /** Marks the code used at `now` in the same transaction that reads it; a second use sees 'used'. */
  useLoginCode(code: string, now: number): Promise<UseCodeResult>;

  /** Inserts the (app, user) pair the first time; later calls keep ids and replace only the session key. */
  saveAppUser(record: AppUserRecord): Promise<AppUserRecord>;
  getAppUser(appid: string, userId: string): Promise<AppUserRecord | undefined>;
  getAppUserByOpenid(appid: string, openid: string): Promise<AppUserRecord | undefined>;
}
