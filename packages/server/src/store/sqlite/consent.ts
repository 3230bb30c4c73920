import type { ConsentSource, Decision } from '@beckon/protocol';
import type Database from 'better-sqlite3';
import type {
  ChangeFact,
  ConsentChange,
  ConsentStore,
  DecisionInput,
  GrantRecord,
  PopupFact,
} from '../port.js';
import type { OutboxWriter } from './push.js';
import { statements } from './statements.js';

interface GrantRow {
  appid: string;
  user_id: string;
  template_id: string;
  template_type: 2 | 3;
  remaining: number;
  active: number;
  status: Decision;
  keep_choice: number;
  updated_at: number;
}
const toGrant = (r: GrantRow): GrantRecord => ({
  appid: r.appid,
  userId: r.user_id,
  templateId: r.template_id,
  templateType: r.template_type,
  remaining: r.remaining,
  active: r.active === 1,
  status: r.status,
  keepChoice: r.keep_choice === 1,
  updatedAt: r.updated_at,
});

interface ChangeRow {
  id: number;
  appid: string;
  user_id: string;
  template_id: string;
  status: Decision;
  source: ConsentSource;
  at: number;
}
const toChange = (r: ChangeRow): ConsentChange => ({
  id: r.id,
  appid: r.appid,
  userId: r.user_id,
  templateId: r.template_id,
  status: r.status,
  source: r.source,
  at: r.at,
});

/*
 * The upserts below compute the new row from `excluded` (the values offered) and the stored row, so that
 * every change is one statement: concurrent requests never read a count and write it back.
 */

/** A request's decision: accept adds one send (one-time) or activates (long-term); reject grants nothing. */
const DECIDE = `
  INSERT INTO grants (appid, user_id, template_id, template_type, remaining, active, status, keep_choice, updated_at)
  VALUES (@appid, @userId, @templateId, @type,
    CASE WHEN @status = 'accept' AND @type <> 3 THEN 1 ELSE 0 END,
    CASE WHEN @status = 'accept' AND @type = 3 THEN 1 ELSE 0 END,
    @status, coalesce(@keep, 0), @at)
  ON CONFLICT (appid, user_id, template_id) DO UPDATE SET
    template_type = excluded.template_type,
    remaining = remaining + CASE WHEN excluded.status = 'accept' AND excluded.template_type <> 3 THEN 1 ELSE 0 END,
    active = CASE WHEN excluded.status = 'accept' AND excluded.template_type = 3 THEN 1 ELSE active END,
    status = excluded.status,
    keep_choice = coalesce(@keep, keep_choice),
    updated_at = excluded.updated_at`;

/** The settings page or a card: reject zeroes and deactivates; accept restores nothing. Always remembered. */
const SET_TEMPLATE = `
  INSERT INTO grants (appid, user_id, template_id, template_type, remaining, active, status, keep_choice, updated_at)
  VALUES (@appid, @userId, @templateId, @type, 0, 0, @status, 1, @at)
  ON CONFLICT (appid, user_id, template_id) DO UPDATE SET
    template_type = excluded.template_type,
    remaining = CASE WHEN excluded.status = 'reject' THEN 0 ELSE remaining END,
    active = CASE WHEN excluded.status = 'reject' THEN 0 ELSE active END,
    status = excluded.status,
    keep_choice = 1,
    updated_at = excluded.updated_at`;

const LOG = `INSERT INTO consent_changes (appid, user_id, template_id, status, source, at)
  VALUES (?, ?, ?, ?, ?, ?) RETURNING *`;

/**
 * The user's main switch for the app: on unless turned off (no row is on). Read inside the callers'
 * transactions, by this adapter and by the games' (a game's system-message decisions obey it too).
 */
export function mainSwitchOn(sql: ReturnType<typeof statements>, appid: string, userId: string): boolean {
  const on = sql('SELECT main_switch FROM main_switches WHERE appid = ? AND user_id = ?')
    .pluck()
    .get(appid, userId) as number | undefined;
  return on !== 0;
}

export class SqliteConsent implements ConsentStore {
  private readonly sql;

  constructor(
    private readonly db: Database.Database,
    /** Message push: the popup and change events are written in the same transaction as their change. */
    private readonly outbox?: OutboxWriter,
  ) {
    this.sql = statements(db);
  }

  /** A change event for templates the user turned off (spec §5.3: only rejections are pushed). */
  private pushRejections(appid: string, userId: string, templateIds: string[], at: number): void {
    if (templateIds.length === 0 || !this.outbox?.enabled(appid)) return;
    const data: ChangeFact[] = templateIds.map((templateId) => ({ templateId }));
    this.outbox.write({ appid, userId, event: 'subscribe_msg_change_event', data, at });
  }

  async grants(appid: string, userId: string, templateIds?: string[]): Promise<GrantRecord[]> {
    const rows = (
      templateIds === undefined
        ? this.sql('SELECT * FROM grants WHERE appid = ? AND user_id = ? ORDER BY template_id').all(
            appid,
            userId,
          )
        : this.sql(
            `SELECT * FROM grants WHERE appid = ? AND user_id = ?
               AND template_id IN (SELECT value FROM json_each(?)) ORDER BY template_id`,
          ).all(appid, userId, JSON.stringify(templateIds))
    ) as GrantRow[];
    return rows.map(toGrant);
  }

  async mainSwitch(appid: string, userId: string): Promise<boolean> {
    return mainSwitchOn(this.sql, appid, userId);
  }

  private log(
    appid: string,
    userId: string,
    templateId: string,
    status: Decision,
    source: ConsentSource,
    at: number,
  ) {
    return toChange(this.sql(LOG).get(appid, userId, templateId, status, source, at) as ChangeRow);
  }

  async recordDecisions(
    appid: string,
    userId: string,
    decisions: DecisionInput[],
    at: number,
  ): Promise<ConsentChange[]> {
    return this.db
      .transaction((): ConsentChange[] => {
        // Checked inside the transaction: a switch-off that commits first cannot be undone by this grant.
        if (!mainSwitchOn(this.sql, appid, userId)) return [];
        // One popup event per answered popup; remembered (silent) answers showed no popup, so push none.
        const popup: PopupFact[] = decisions
          .filter((d) => d.source === 'popup')
          .map((d) => ({ templateId: d.templateId, status: d.status }));
        if (popup.length > 0 && this.outbox?.enabled(appid)) {
          this.outbox.write({ appid, userId, event: 'subscribe_msg_popup_event', data: popup, at });
        }
        return decisions.map((d) => {
          this.sql(DECIDE).run({
            appid,
            userId,
            templateId: d.templateId,
            type: d.templateType,
            status: d.status,
            keep: d.keepChoice === undefined ? null : d.keepChoice ? 1 : 0,
            at,
          });
          return this.log(appid, userId, d.templateId, d.status, d.source, at);
        });
      })
      .immediate();
  }

  async setTemplate(
    appid: string,
    userId: string,
    templateId: string,
    templateType: 2 | 3,
    status: Decision,
    source: 'settings' | 'card',
    at: number,
  ): Promise<ConsentChange> {
    return this.db
      .transaction((): ConsentChange => {
        this.sql(SET_TEMPLATE).run({ appid, userId, templateId, type: templateType, status, at });
        if (status === 'reject') this.pushRejections(appid, userId, [templateId], at);
        return this.log(appid, userId, templateId, status, source, at);
      })
      .immediate();
  }

  async setMainSwitch(appid: string, userId: string, on: boolean, at: number): Promise<void> {
    this.db
      .transaction(() => {
        const wasOn = mainSwitchOn(this.sql, appid, userId);
        this.sql(
          `INSERT INTO main_switches (appid, user_id, main_switch, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (appid, user_id) DO UPDATE SET main_switch = excluded.main_switch,
             updated_at = excluded.updated_at`,
        ).run(appid, userId, on ? 1 : 0, at);
        if (on) return;
        this.sql(
          'UPDATE grants SET remaining = 0, active = 0, updated_at = ? WHERE appid = ? AND user_id = ?',
        ).run(at, appid, userId);
        // Switching off stops every template the user had answered: logged as a rejection of each, once.
        if (!wasOn) return;
        const ids = this.sql(
          'SELECT template_id FROM grants WHERE appid = ? AND user_id = ? ORDER BY template_id',
        )
          .pluck()
          .all(appid, userId) as string[];
        for (const id of ids) this.log(appid, userId, id, 'reject', 'main-switch', at);
        this.pushRejections(appid, userId, ids, at);
      })
      .immediate();
  }

  async changes(afterId: number, limit: number): Promise<ConsentChange[]> {
    return (
      this.sql('SELECT * FROM consent_changes WHERE id > ? ORDER BY id LIMIT ?').all(
        afterId,
        limit,
      ) as ChangeRow[]
    ).map(toChange);
  }
}
