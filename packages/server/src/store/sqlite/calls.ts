import type { InviteeState } from '@beckon/protocol';
import type Database from 'better-sqlite3';
import type {
  Answer,
  CallChange,
  CallEvents,
  CallMemberRecord,
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
  MediaState,
  NewCall,
  NewInvitation,
  SettleOutcome,
  StartOutcome,
  StrandedMember,
} from '../port.js';
import { CallReader, MEMBER_COLUMNS, type MemberRow, memberRecord } from './call-rows.js';
import { CallSteps } from './call-steps.js';
import type { OutboxWriter } from './push.js';
import { statements } from './statements.js';

/** Positions past the end of time: the listing's bounds when the query leaves them out. */
const FOREVER = Number.MAX_SAFE_INTEGER;

export class SqliteCalls implements CallStore {
  private readonly sql;

  private readonly read;

  private readonly steps;

  constructor(
    private readonly db: Database.Database,
    /** Call webhooks: each change writes the events it reports in its own transaction (port CallEvents). */
    private readonly outbox?: OutboxWriter,
  ) {
    this.sql = statements(db);
    this.read = new CallReader(this.sql);
    this.steps = new CallSteps(this.sql, this.read);
  }

  async start(
    call: NewCall,
    invitation: NewInvitation,
    events?: CallEvents<Extract<StartOutcome, { ok: true }>>,
  ): Promise<StartOutcome> {
    return this.db
      .transaction((): StartOutcome => {
        const at = invitation.createdAt;
        if (this.steps.busy({ sdkAppId: call.sdkAppId, userId: call.caller }, null, at))
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
        this.steps.join(
          call.callId,
          call.sdkAppId,
          call.caller,
          invitation.inviterSessionId,
          at,
          invitation.inviterNodeId,
        );
        this.steps.insertInvitation(invitation, call.sdkAppId);
        const change = this.steps.endIfOver(call.callId, at, call.caller);
        return this.reported(
          { ok: true, invitation: this.read.invitation(invitation.inviteId)!, ...change },
          events,
        );
      })
      .immediate();
  }

  async inviteMore(
    invitation: NewInvitation,
    events?: CallEvents<Extract<InviteMoreOutcome, { ok: true }>>,
  ): Promise<InviteMoreOutcome> {
    return this.db
      .transaction((): InviteMoreOutcome => {
        const call = this.read.callRow(invitation.callId);
        if (!call || call.ended_at !== null || !this.steps.isMember(call.call_id, invitation.inviter))
          return { ok: false, reason: 'not_member' };
        this.steps.insertInvitation(invitation, call.sdk_app_id);
        const change = this.steps.endIfOver(call.call_id, invitation.createdAt, invitation.inviter);
        return this.reported(
          { ok: true, invitation: this.read.invitation(invitation.inviteId)!, ...change },
          events,
        );
      })
      .immediate();
  }

  async settle(
    inviteId: string,
    userId: string,
    answer: Answer,
    at: number,
    sessionId: string,
    events?: CallEvents<Extract<SettleOutcome, { ok: true }>>,
    nodeId?: string,
  ): Promise<SettleOutcome> {
    return this.db
      .transaction((): SettleOutcome => {
        const inv = this.read.invitationRow(inviteId);
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
          this.steps.join(inv.call_id, inv.sdk_app_id, userId, sessionId, at, nodeId);
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
          for (const other of elsewhere) this.steps.refreshStatus(other);
        }
        this.steps.refreshStatus(inviteId);
        const change = this.steps.endIfOver(inv.call_id, at, userId);
        return this.reported(
          { ok: true, invitation: this.read.invitation(inviteId)!, elsewhere, ...change },
          events,
        );
      })
      .immediate();
  }

  async cancel(
    inviteId: string,
    by: string,
    at: number,
    events?: CallEvents<Extract<CancelOutcome, { ok: true }>>,
  ): Promise<CancelOutcome> {
    return this.db
      .transaction((): CancelOutcome => {
        const inv = this.read.invitationRow(inviteId);
        if (!inv) return { ok: false, reason: 'not_found' };
        if (inv.inviter !== by) return { ok: false, reason: 'not_inviter' };
        const cancelled = this.steps.settleAllPending(inviteId, 'cancelled', at);
        const change = this.steps.endIfOver(inv.call_id, at, by);
        return this.reported(
          { ok: true, invitation: this.read.invitation(inviteId)!, cancelled, ...change },
          events,
        );
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

  async expire(
    inviteId: string,
    at: number,
    events?: CallEvents<NonNullable<ExpireOutcome>>,
  ): Promise<ExpireOutcome> {
    return this.db
      .transaction((): ExpireOutcome => {
        const inv = this.read.invitationRow(inviteId);
        if (!inv || inv.deadline > at) return undefined;
        const timedOut = this.steps.settleAllPending(inviteId, 'no_answer', at);
        const change = this.steps.endIfOver(inv.call_id, at, timedOut.at(-1) ?? inv.inviter);
        return this.reported({ invitation: this.read.invitation(inviteId)!, timedOut, ...change }, events);
      })
      .immediate();
  }

  async leave(
    callId: string,
    userId: string,
    at: number,
    events?: CallEvents<Extract<LeaveOutcome, { ok: true }>>,
    fromNode?: string,
  ): Promise<LeaveOutcome> {
    return this.db
      .transaction((): LeaveOutcome => {
        if (!this.steps.isMember(callId, userId, fromNode)) return { ok: false, reason: 'not_member' };
        const mine = this.sql(
          "SELECT invite_id FROM call_invitations WHERE call_id = ? AND inviter = ? AND status = 'pending'",
        )
          .pluck()
          .all(callId, userId) as string[];
        const cancelled = mine
          .map((inviteId) => ({ inviteId, userIds: this.steps.settleAllPending(inviteId, 'cancelled', at) }))
          .filter((c) => c.userIds.length > 0);
        this.sql(
          'UPDATE call_members SET left_at = ? WHERE call_id = ? AND user_id = ? AND left_at IS NULL',
        ).run(at, callId, userId);
        const change = this.steps.endIfOver(callId, at, userId);
        return this.reported({ ok: true, cancelled, ...change }, events);
      })
      .immediate();
  }

  async getCall(callId: string): Promise<CallRecord | undefined> {
    return this.read.call(callId);
  }

  async membersIn(callId: string, sdkAppId: number, userIds: readonly string[]): Promise<CallMemberRecord[]> {
    if (userIds.length === 0) return [];
    // One primary-key lookup per user: the relay runs this on every SDP/ICE message.
    const rows = this.sql(
      `SELECT ${MEMBER_COLUMNS} FROM call_members
       WHERE call_id = ? AND sdk_app_id = ? AND left_at IS NULL AND user_id IN (${userIds.map(() => '?').join(', ')})`,
    ).all(callId, sdkAppId, ...userIds) as MemberRow[];
    return rows.map(memberRecord);
  }

  async setMedia(callId: string, userId: string, media: MediaState): Promise<boolean> {
    const bit = (v: boolean | undefined) => (v === undefined ? null : v ? 1 : 0);
    return (
      this.sql(
        `UPDATE call_members SET video = coalesce(?, video), audio = coalesce(?, audio)
         WHERE call_id = ? AND user_id = ? AND left_at IS NULL`,
      ).run(bit(media.video), bit(media.audio), callId, userId).changes === 1
    );
  }

  async heartbeat(nodeId: string, at: number): Promise<void> {
    this.steps.seen(nodeId, at);
  }

  async stranded(seenBefore: number, limit: number): Promise<StrandedMember[]> {
    return (
      this.sql(
        // Stale nodes first (a handful), then their members by index: cheap when no node is stale.
        `SELECT call_id, user_id, node_id FROM call_members
         WHERE node_id IN (SELECT node_id FROM call_nodes WHERE seen_at < ?) AND left_at IS NULL
         ORDER BY joined_at, call_id, user_id LIMIT ?`,
      ).all(seenBefore, limit) as { call_id: string; user_id: string; node_id: string }[]
    ).map((r) => ({ callId: r.call_id, userId: r.user_id, nodeId: r.node_id }));
  }

  async forgetNodes(seenBefore: number): Promise<number> {
    return this.sql(
      `DELETE FROM call_nodes WHERE seen_at < ?
         AND NOT EXISTS (SELECT 1 FROM call_members m WHERE m.node_id = call_nodes.node_id AND m.left_at IS NULL)`,
    ).run(seenBefore).changes;
  }

  async getInvitation(inviteId: string): Promise<InvitationRecord | undefined> {
    return this.read.invitation(inviteId);
  }

  async ringing(user: CallUser, now: number): Promise<InvitationRecord[]> {
    const ids = this.sql(
      `SELECT i.invite_id FROM call_invitees i JOIN call_invitations v ON v.invite_id = i.invite_id
       WHERE i.sdk_app_id = ? AND i.user_id = ? AND i.state = 'pending' AND v.deadline > ?
       ORDER BY v.created_at, v.invite_id`,
    )
      .pluck()
      .all(user.sdkAppId, user.userId, now) as string[];
    return ids.map((id) => this.read.invitation(id)!);
  }

  async activeCalls(user: CallUser): Promise<CallRecord[]> {
    const ids = this.sql(
      `SELECT call_id FROM call_members WHERE sdk_app_id = ? AND user_id = ? AND left_at IS NULL
       ORDER BY joined_at, call_id`,
    )
      .pluck()
      .all(user.sdkAppId, user.userId) as string[];
    return ids.map((id) => this.read.call(id)!);
  }

  async overdue(now: number, limit: number): Promise<InvitationRecord[]> {
    const ids = this.sql(
      `SELECT invite_id FROM call_invitations WHERE status = 'pending' AND deadline <= ?
       ORDER BY deadline, invite_id LIMIT ?`,
    )
      .pluck()
      .all(now, limit) as string[];
    return ids.map((id) => this.read.invitation(id)!);
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
    const page = ids.slice(0, query.limit).map((id) => this.read.call(id)!);
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

  /** Writes the call webhooks the change reports (port CallEvents); made only while the app has push on. */
  private reported<O extends CallChange>(outcome: O, events: CallEvents<O> | undefined): O {
    if (events && this.outbox?.enabled(outcome.call.appid))
      for (const event of events(outcome)) this.outbox.write(event);
    return outcome;
  }
}
