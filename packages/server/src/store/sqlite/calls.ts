import type { InviteeState } from '@beckon/protocol';
import type Database from 'better-sqlite3';
import type {
  Answer,
  CallChange,
  CallRecord,
  CallRecordPage,
  CallRecordQuery,
  CallSettings,
  CallStore,
  CallUser,
  CancelOutcome,
  ExpireOutcome,
  InvitationRecord,
  InviteMoreOutcome,
  LeaveOutcome,
  NewCall,
  NewInvitation,
  SettleOutcome,
  StartOutcome,
} from '../port.js';
import { CallReader } from './call-rows.js';
import { statements } from './statements.js';

/** Positions past the end of time: the listing's bounds when the query leaves them out. */
const FOREVER = Number.MAX_SAFE_INTEGER;

export class SqliteCalls implements CallStore {
  private readonly sql;

  private readonly read;

  constructor(private readonly db: Database.Database) {
    this.sql = statements(db);
    this.read = new CallReader(this.sql);
  }

  private callRow(callId: string) {
    return this.read.callRow(callId);
  }

  private invitationRow(inviteId: string) {
    return this.read.invitationRow(inviteId);
  }

  private call(callId: string) {
    return this.read.call(callId);
  }

  private invitation(inviteId: string) {
    return this.read.invitation(inviteId);
  }

  async start(call: NewCall, invitation: NewInvitation): Promise<StartOutcome> {
    return this.db
      .transaction((): StartOutcome => {
        const at = invitation.createdAt;
        if (this.busy({ sdkAppId: call.sdkAppId, userId: call.caller }, null, at))
          return { ok: false, reason: 'caller_busy' };
        this.sql(
          `INSERT INTO calls (call_id, appid, sdk_app_id, caller, call_type, room_id, group_id, started_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          call.callId,
          call.appid,
          call.sdkAppId,
          call.caller,
          call.callType,
          call.roomId,
          call.groupId,
          call.startedAt,
        );
        this.join(call.callId, call.sdkAppId, call.caller, invitation.inviterSessionId, at);
        this.insertInvitation(invitation, call.sdkAppId);
        const change = this.endIfOver(call.callId, at, call.caller);
        return { ok: true, invitation: this.invitation(invitation.inviteId)!, ...change };
      })
      .immediate();
  }

  async inviteMore(invitation: NewInvitation): Promise<InviteMoreOutcome> {
    return this.db
      .transaction((): InviteMoreOutcome => {
        const call = this.callRow(invitation.callId);
        if (!call || call.ended_at !== null || !this.isMember(call.call_id, invitation.inviter))
          return { ok: false, reason: 'not_member' };
        this.insertInvitation(invitation, call.sdk_app_id);
        const change = this.endIfOver(call.call_id, invitation.createdAt, invitation.inviter);
        return { ok: true, invitation: this.invitation(invitation.inviteId)!, ...change };
      })
      .immediate();
  }

  async settle(
    inviteId: string,
    userId: string,
    answer: Answer,
    at: number,
    sessionId: string,
  ): Promise<SettleOutcome> {
    return this.db
      .transaction((): SettleOutcome => {
        const inv = this.invitationRow(inviteId);
        if (!inv) return { ok: false, reason: 'not_found' };
        const state = this.sql('SELECT state FROM call_invitees WHERE invite_id = ? AND user_id = ?')
          .pluck()
          .get(inviteId, userId) as InviteeState | undefined;
        if (state === undefined) return { ok: false, reason: 'not_invitee' };
        if (state !== 'pending') return { ok: false, reason: 'processed' };
        if (inv.deadline <= at) return { ok: false, reason: 'expired' };
        this.sql(
          `UPDATE call_invitees SET state = ?, settled_at = ?, session_id = ?
           WHERE invite_id = ? AND user_id = ? AND state = 'pending'`,
        ).run(answer, at, sessionId, inviteId, userId);
        let elsewhere: string[] = [];
        if (answer === 'answered') {
          this.join(inv.call_id, inv.sdk_app_id, userId, sessionId, at);
          this.sql('UPDATE calls SET connected_at = coalesce(connected_at, ?) WHERE call_id = ?').run(
            at,
            inv.call_id,
          );
          elsewhere = this.sql(
            `UPDATE call_invitees SET state = 'answered_elsewhere', settled_at = ?
             WHERE call_id = ? AND user_id = ? AND state = 'pending' RETURNING invite_id`,
          )
            .pluck()
            .all(at, inv.call_id, userId) as string[];
          for (const other of elsewhere) this.refreshStatus(other);
        }
        this.refreshStatus(inviteId);
        const change = this.endIfOver(inv.call_id, at, userId);
        return { ok: true, invitation: this.invitation(inviteId)!, elsewhere, ...change };
      })
      .immediate();
  }

  async cancel(inviteId: string, by: string, at: number): Promise<CancelOutcome> {
    return this.db
      .transaction((): CancelOutcome => {
        const inv = this.invitationRow(inviteId);
        if (!inv) return { ok: false, reason: 'not_found' };
        if (inv.inviter !== by) return { ok: false, reason: 'not_inviter' };
        const cancelled = this.settleAllPending(inviteId, 'cancelled', at);
        const change = this.endIfOver(inv.call_id, at, by);
        return { ok: true, invitation: this.invitation(inviteId)!, cancelled, ...change };
      })
      .immediate();
  }

  async markRung(inviteId: string, userIds: string[], at: number): Promise<void> {
    const mark = this.sql(
      'UPDATE call_invitees SET rung_at = ? WHERE invite_id = ? AND user_id = ? AND rung_at IS NULL',
    );
    this.db.transaction(() => {
      for (const userId of userIds) mark.run(at, inviteId, userId);
    })();
  }

  async expire(inviteId: string, at: number): Promise<ExpireOutcome> {
    return this.db
      .transaction((): ExpireOutcome => {
        const inv = this.invitationRow(inviteId);
        if (!inv || inv.deadline > at) return undefined;
        const timedOut = this.settleAllPending(inviteId, 'no_answer', at);
        const change = this.endIfOver(inv.call_id, at, timedOut.at(-1) ?? inv.inviter);
        return { invitation: this.invitation(inviteId)!, timedOut, ...change };
      })
      .immediate();
  }

  async leave(callId: string, userId: string, at: number): Promise<LeaveOutcome> {
    return this.db
      .transaction((): LeaveOutcome => {
        if (!this.isMember(callId, userId)) return { ok: false, reason: 'not_member' };
        const mine = this.sql(
          "SELECT invite_id FROM call_invitations WHERE call_id = ? AND inviter = ? AND status = 'pending'",
        )
          .pluck()
          .all(callId, userId) as string[];
        const cancelled = mine
          .map((inviteId) => ({ inviteId, userIds: this.settleAllPending(inviteId, 'cancelled', at) }))
          .filter((c) => c.userIds.length > 0);
        this.sql(
          'UPDATE call_members SET left_at = ? WHERE call_id = ? AND user_id = ? AND left_at IS NULL',
        ).run(at, callId, userId);
        const change = this.endIfOver(callId, at, userId);
        return { ok: true, cancelled, ...change };
      })
      .immediate();
  }

  async getCall(callId: string): Promise<CallRecord | undefined> {
    return this.call(callId);
  }

  async getInvitation(inviteId: string): Promise<InvitationRecord | undefined> {
    return this.invitation(inviteId);
  }

  async ringing(user: CallUser, now: number): Promise<InvitationRecord[]> {
    const ids = this.sql(
      `SELECT i.invite_id FROM call_invitees i JOIN call_invitations v ON v.invite_id = i.invite_id
       WHERE i.sdk_app_id = ? AND i.user_id = ? AND i.state = 'pending' AND v.deadline > ?
       ORDER BY v.created_at, v.invite_id`,
    )
      .pluck()
      .all(user.sdkAppId, user.userId, now) as string[];
    return ids.map((id) => this.invitation(id)!);
  }

  async activeCalls(user: CallUser): Promise<CallRecord[]> {
    const ids = this.sql(
      `SELECT call_id FROM call_members WHERE sdk_app_id = ? AND user_id = ? AND left_at IS NULL
       ORDER BY joined_at, call_id`,
    )
      .pluck()
      .all(user.sdkAppId, user.userId) as string[];
    return ids.map((id) => this.call(id)!);
  }

  async overdue(now: number, limit: number): Promise<InvitationRecord[]> {
    const ids = this.sql(
      `SELECT invite_id FROM call_invitations WHERE status = 'pending' AND deadline <= ?
       ORDER BY deadline, invite_id LIMIT ?`,
    )
      .pluck()
      .all(now, limit) as string[];
    return ids.map((id) => this.invitation(id)!);
  }

  async records(appid: string, query: CallRecordQuery): Promise<CallRecordPage> {
    const after = query.after ?? { startedAt: FOREVER, callId: '' };
    const ids = this.sql(
      `SELECT call_id FROM calls
       WHERE appid = @appid AND started_at >= @from AND started_at < @to
         AND (started_at < @afterAt OR (started_at = @afterAt AND call_id < @afterId))
       ORDER BY started_at DESC, call_id DESC LIMIT @limit`,
    )
      .pluck()
      .all({
        appid,
        from: query.from ?? -FOREVER,
        to: query.to ?? FOREVER,
        afterAt: after.startedAt,
        afterId: query.after ? after.callId : '',
        limit: query.limit + 1,
      }) as string[];
    // Without a position every started_at is below FOREVER, so the callId tie-break never applies.
    const page = ids.slice(0, query.limit).map((id) => this.call(id)!);
    const last = page.at(-1);
    return {
      records: page,
      next: ids.length > query.limit && last ? { startedAt: last.startedAt, callId: last.callId } : null,
    };
  }

  async settings(appid: string): Promise<CallSettings> {
    const multi = this.sql('SELECT multi_device FROM call_settings WHERE appid = ?').pluck().get(appid) as
      | number
      | undefined;
    return { multiDevice: multi === 1 };
  }

  async saveSettings(appid: string, settings: CallSettings): Promise<void> {
    this.sql(
      `INSERT INTO call_settings (appid, multi_device) VALUES (?, ?)
       ON CONFLICT (appid) DO UPDATE SET multi_device = excluded.multi_device`,
    ).run(appid, settings.multiDevice ? 1 : 0);
  }

  // --- inside transactions -------------------------------------------------------------------------------

  /**
   * Busy (spec §1.4): a member of a running call, or a pending invitee of an invitation still ringing at
   * `at`. Ringing for `callId` itself does not count: a second invitation into the same call rings too.
   */
  private busy(user: CallUser, callId: string | null, at: number): boolean {
    return (
      this.sql(
        `SELECT EXISTS (SELECT 1 FROM call_members WHERE sdk_app_id = @app AND user_id = @user AND left_at IS NULL)
         OR EXISTS (SELECT 1 FROM call_invitees i JOIN call_invitations v ON v.invite_id = i.invite_id
                    WHERE i.sdk_app_id = @app AND i.user_id = @user AND i.state = 'pending'
                      AND v.deadline > @at AND i.call_id IS NOT @call)`,
      )
        .pluck()
        .get({ app: user.sdkAppId, user: user.userId, at, call: callId }) === 1
    );
  }

  private insertInvitation(inv: NewInvitation, sdkAppId: number): void {
    const deadline = inv.createdAt + inv.timeoutSeconds * 1000;
    this.sql(
      `INSERT INTO call_invitations
         (invite_id, call_id, inviter, group_id, cmd, timeout_seconds, created_at, deadline, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
    ).run(
      inv.inviteId,
      inv.callId,
      inv.inviter,
      inv.groupId,
      inv.cmd,
      inv.timeoutSeconds,
      inv.createdAt,
      deadline,
    );
    const add = this.sql(
      `INSERT INTO call_invitees (invite_id, user_id, position, call_id, sdk_app_id, state, settled_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    inv.invitees.forEach((userId, position) => {
      const busy = this.busy({ sdkAppId, userId }, inv.callId, inv.createdAt);
      add.run(
        inv.inviteId,
        userId,
        position,
        inv.callId,
        sdkAppId,
        busy ? 'busy' : 'pending',
        busy ? inv.createdAt : null,
      );
    });
    this.refreshStatus(inv.inviteId);
  }

  private join(callId: string, sdkAppId: number, userId: string, sessionId: string, at: number): void {
    this.sql(
      `INSERT INTO call_members (call_id, sdk_app_id, user_id, session_id, joined_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (call_id, user_id) DO UPDATE
         SET session_id = excluded.session_id, joined_at = excluded.joined_at, left_at = NULL`,
    ).run(callId, sdkAppId, userId, sessionId, at);
  }

  private isMember(callId: string, userId: string): boolean {
    return (
      this.sql('SELECT 1 FROM call_members WHERE call_id = ? AND user_id = ? AND left_at IS NULL')
        .pluck()
        .get(callId, userId) === 1
    );
  }

  /** Compare-and-set of every pending invitee of the invitation; returns the users it moved. */
  private settleAllPending(inviteId: string, to: InviteeState, at: number): string[] {
    const moved = this.sql(
      `UPDATE call_invitees SET state = ?, settled_at = ? WHERE invite_id = ? AND state = 'pending'
       RETURNING user_id, position`,
    ).all(to, at, inviteId) as { user_id: string; position: number }[];
    this.refreshStatus(inviteId);
    return moved.sort((a, b) => a.position - b.position).map((r) => r.user_id);
  }

  private refreshStatus(inviteId: string): void {
    this.sql(
      `UPDATE call_invitations SET status = CASE WHEN EXISTS
         (SELECT 1 FROM call_invitees WHERE invite_id = @id AND state = 'pending') THEN 'pending' ELSE 'settled' END
       WHERE invite_id = @id`,
    ).run({ id: inviteId });
  }

  /** The end rule (port): at most one member left and nobody pending ends the call. */
  private endIfOver(callId: string, at: number, by: string): CallChange {
    const row = this.callRow(callId)!;
    if (row.ended_at === null) {
      const members = this.sql('SELECT count(*) FROM call_members WHERE call_id = ? AND left_at IS NULL')
        .pluck()
        .get(callId) as number;
      const pending = this.sql("SELECT count(*) FROM call_invitees WHERE call_id = ? AND state = 'pending'")
        .pluck()
        .get(callId) as number;
      if (members <= 1 && pending === 0) {
        const duration = row.connected_at === null ? 0 : Math.floor((at - row.connected_at) / 1000);
        this.sql('UPDATE calls SET ended_at = ?, duration = ?, ended_by = ? WHERE call_id = ?').run(
          at,
          duration,
          by,
          callId,
        );
        this.sql('UPDATE call_members SET left_at = ? WHERE call_id = ? AND left_at IS NULL').run(at, callId);
        return { call: this.call(callId)!, ended: true };
      }
    }
    return { call: this.call(callId)!, ended: false };
  }
}
