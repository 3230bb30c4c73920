import type Database from 'better-sqlite3';
import type {
  AppPatch,
  AppRecord,
  AppStore,
  FrontendOriginTaken,
  IssueOptions,
  TokenFamily,
  TokenRecord,
  TokenStore,
} from '../port.js';
import { ReadCache } from './read-cache.js';
import { statements } from './statements.js';

interface AppRow {
  appid: string;
  secret: string;
  name: string;
  type: AppRecord['type'];
  original_id: string;
  owner: string;
  subscribe_banned: number;
  pages: string;
  daily_send_cap: number | null;
  icon: string | null;
  frontend: string | null;
  created_at: number;
  sdk_app_id: number;
  rtc_secret_key: string;
}

const toApp = (r: AppRow): AppRecord => ({
  appid: r.appid,
  secret: r.secret,
  name: r.name,
  type: r.type,
  originalId: r.original_id,
  owner: r.owner,
  subscribeBanned: r.subscribe_banned === 1,
  pages: JSON.parse(r.pages) as string[],
  dailySendCap: r.daily_send_cap,
  icon: r.icon,
  frontend: r.frontend,
  createdAt: r.created_at,
  sdkAppId: r.sdk_app_id,
  rtcSecretKey: r.rtc_secret_key,
});

/** The origin of a front end (scheme, host and port), kept in `frontend_origin` under a unique index. */
export function frontendOrigin(frontend: string | null): string | null {
  return frontend === null ? null : new URL(frontend).origin;
}

/** The column of each patchable field (the only names interpolated into the UPDATE). */
const patchColumns: Record<keyof AppPatch, string> = {
  name: 'name',
  secret: 'secret',
  subscribeBanned: 'subscribe_banned',
  pages: 'pages',
  dailySendCap: 'daily_send_cap',
  rtcSecretKey: 'rtc_secret_key',
  icon: 'icon',
  frontend: 'frontend',
};

const toColumn = (value: AppPatch[keyof AppPatch]): string | number | null =>
  typeof value === 'boolean'
    ? value
      ? 1
      : 0
    : Array.isArray(value)
      ? JSON.stringify(value)
      : (value ?? null);

export class SqliteApps implements AppStore {
  /** Every send and token check reads its app: kept in memory, dropped by every write below. */
  private readonly cache = new ReadCache<AppRecord>();
  /** sdkAppId → appid. Safe to keep: an app's sdkAppId never changes and apps are never deleted. */
  private readonly appidBySdkAppId = new ReadCache<string>();
  private readonly sql;

  constructor(private readonly db: Database.Database) {
    this.sql = statements(db);
  }

  async create(app: AppRecord): Promise<boolean | FrontendOriginTaken> {
    const origin = frontendOrigin(app.frontend);
    return this.db
      .transaction((): boolean | FrontendOriginTaken => {
        const taken = this.originTaken(origin, app.appid);
        if (taken) return taken;
        // No conflict target: a taken appid and a taken sdk_app_id (unique index) both leave the table as it
        // was (and frontend_origin's unique index is the guarantee under the check above).
        const result = this.sql(
          `INSERT INTO apps (appid, secret, name, type, original_id, owner, subscribe_banned, pages,
                             daily_send_cap, icon, frontend, frontend_origin, created_at, sdk_app_id,
                             rtc_secret_key)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        ).run(
          app.appid,
          app.secret,
          app.name,
          app.type,
          app.originalId,
          app.owner,
          app.subscribeBanned ? 1 : 0,
          JSON.stringify(app.pages),
          app.dailySendCap,
          app.icon,
          app.frontend,
          origin,
          app.createdAt,
          app.sdkAppId,
          app.rtcSecretKey,
        );
        return result.changes === 1;
      })
      .immediate();
  }

  async get(appid: string): Promise<AppRecord | undefined> {
    return this.cache.get(appid, () => {
      const row = this.sql('SELECT * FROM apps WHERE appid = ?').get(appid) as AppRow | undefined;
      return row && toApp(row);
    });
  }

  async getBySdkAppId(sdkAppId: number): Promise<AppRecord | undefined> {
    if (!Number.isSafeInteger(sdkAppId)) return undefined;
    const appid = this.appidBySdkAppId.get(String(sdkAppId), () => {
      const found = this.sql('SELECT appid FROM apps WHERE sdk_app_id = ?').pluck().get(sdkAppId);
      return found as string | undefined;
    });
    return appid === undefined ? undefined : this.get(appid);
  }

  async list(): Promise<AppRecord[]> {
    return (this.sql('SELECT * FROM apps ORDER BY created_at, rowid').all() as AppRow[]).map(toApp);
  }

  async update(appid: string, patch: AppPatch): Promise<AppRecord | undefined | FrontendOriginTaken> {
    this.cache.drop(appid);
    return this.db
      .transaction((): AppRecord | undefined | FrontendOriginTaken => {
        if (patch.frontend !== undefined) {
          const origin = frontendOrigin(patch.frontend);
          const taken = this.originTaken(origin, appid);
          if (taken) return taken;
          this.sql('UPDATE apps SET frontend_origin = ? WHERE appid = ?').run(origin, appid);
        }
        for (const [field, column] of Object.entries(patchColumns) as [keyof AppPatch, string][]) {
          const value = patch[field];
          if (value !== undefined)
            this.sql(`UPDATE apps SET ${column} = ? WHERE appid = ?`).run(toColumn(value), appid);
        }
        const row = this.sql('SELECT * FROM apps WHERE appid = ?').get(appid) as AppRow | undefined;
        return row && toApp(row);
      })
      .immediate();
  }

  /** Another app whose front end is on `origin`, read inside the writing transaction. */
  private originTaken(origin: string | null, appid: string): FrontendOriginTaken | undefined {
    if (origin === null) return undefined;
    const holder = this.sql('SELECT appid FROM apps WHERE frontend_origin = ? AND appid <> ?')
      .pluck()
      .get(origin, appid) as string | undefined;
    return holder === undefined ? undefined : { frontendOriginTakenBy: holder };
  }
}

interface TokenRow {
  token: string;
  appid: string;
  family: TokenFamily;
  issued_at: number;
  expires_at: number;
  valid_until: number;
}

const toToken = (r: TokenRow): TokenRecord => ({
  token: r.token,
  appid: r.appid,
  family: r.family,
  issuedAt: r.issued_at,
  expiresAt: r.expires_at,
  validUntil: r.valid_until,
});

export class SqliteTokens implements TokenStore {
  /** Issuing changes other tokens' validity: it clears the cache (it is rare, reads are constant). */
  private readonly cache = new ReadCache<TokenRecord>();
  private readonly sql;

  constructor(private readonly db: Database.Database) {
    this.sql = statements(db);
  }

  async find(token: string): Promise<TokenRecord | undefined> {
    return this.cache.get(token, () => {
      const row = this.sql('SELECT * FROM access_tokens WHERE token = ?').get(token) as TokenRow | undefined;
      return row && toToken(row);
    });
  }

  async latest(appid: string, family: TokenFamily): Promise<TokenRecord | undefined> {
    return this.latestRow(appid, family);
  }

  async issue(next: TokenRecord, options: IssueOptions = {}): Promise<boolean> {
    this.cache.clear();
    return this.db
      .transaction(() => {
        const latest = this.latestRow(next.appid, next.family);
        if (options.expectedLatest !== undefined && (latest?.token ?? null) !== options.expectedLatest) {
          return false;
        }
        if (options.forgetExpiredBefore !== undefined) {
          this.sql('DELETE FROM access_tokens WHERE appid = ? AND family = ? AND expires_at < ?').run(
            next.appid,
            next.family,
            options.forgetExpiredBefore,
          );
        }
        if (options.othersValidUntil !== undefined) {
          this.sql(
            'UPDATE access_tokens SET valid_until = ? WHERE appid = ? AND family = ? AND valid_until > ?',
          ).run(options.othersValidUntil, next.appid, next.family, options.othersValidUntil);
        }
        const seq =
          (this.sql('SELECT max(seq) FROM access_tokens WHERE appid = ? AND family = ?')
            .pluck()
            .get(next.appid, next.family) as number | null) ?? 0;
        this.sql(
          `INSERT INTO access_tokens (token, appid, family, issued_at, expires_at, valid_until, seq)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
        ).run(next.token, next.appid, next.family, next.issuedAt, next.expiresAt, next.validUntil, seq + 1);
        return true;
      })
      .immediate();
  }

  private latestRow(appid: string, family: TokenFamily): TokenRecord | undefined {
    const row = this.sql(
      'SELECT * FROM access_tokens WHERE appid = ? AND family = ? ORDER BY seq DESC LIMIT 1',
    ).get(appid, family) as TokenRow | undefined;
    return row && toToken(row);
  }
}
