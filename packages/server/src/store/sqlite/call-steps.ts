import type { InviteeState } from '@beckon/protocol';
import type { CallChange, CallUser, NewInvitation } from '../port.js';
import type { CallReader } from './call-rows.js';
import type { statements } from './statements.js';

/**
 * The steps the calls adapter's transactions are made of (calls.ts): the busy rule, invitations and their
 * invitees, joins and node heartbeats, compare-and-set settling, and the end rule. Each runs inside the
 * caller's transaction, never on its own.
 */
export class CallSteps {
  constructor(
    private readonly sql: ReturnType<typeof statements>,
    private readonly read: CallReader,
  ) {}

  /**
   * Busy (spec §1.4): a member of a running call, or a pending invitee of an invitation still ringing at
   * `at`. Ringing for `callId` itself does not count: a second invitation into the same call rings too.
   */
  busy(user: CallUser, callId: string | null, at: number): boolean {
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

  insertInvitation(inv: NewInvitation, sdkAppId: number): void {
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

  /** A (re)join starts afresh: new session and node, camera/mic unknown until set again. */
  join(
    callId: string,
    sdkAppId: number,
    userId: string,
    sessionId: string,
    at: number,
    nodeId: string | undefined,
  ): void {
    this.sql(
      `INSERT INTO call_members (call_id, sdk_app_id, user_id, session_id, node_id, joined_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (call_id, user_id) DO UPDATE
         SET session_id = excluded.session_id, node_id = excluded.node_id, joined_at = excluded.joined_at,
             left_at = NULL, video = NULL, audio = NULL`,
    ).run(callId, sdkAppId, userId, sessionId, nodeId ?? null, at);
    // The join proves its node alive: a node that has members always has a heartbeat row to go stale.
    if (nodeId !== undefined) this.seen(nodeId, at);
  }

  seen(nodeId: string, at: number): void {
    this.sql(
      `INSERT INTO call_nodes (node_id, seen_at) VALUES (?, ?)
       ON CONFLICT (node_id) DO UPDATE SET seen_at = max(seen_at, excluded.seen_at)`,
    ).run(nodeId, at);
  }

  /** In the call now (and, given `nodeId`, from that node). */
  isMember(callId: string, userId: string, nodeId?: string): boolean {
    return (
      this.sql(
        `SELECT 1 FROM call_members WHERE call_id = ? AND user_id = ? AND left_at IS NULL
           AND (? IS NULL OR node_id = ?)`,
      )
        .pluck()
        .get(callId, userId, nodeId ?? null, nodeId ?? null) === 1
    );
  }

  /** Compare-and-set of every pending invitee of the invitation; returns the users it moved. */
  settleAllPending(inviteId: string, to: InviteeState, at: number): string[] {
    const moved = this.sql(
      `UPDATE call_invitees SET state = ?, settled_at = ? WHERE invite_id = ? AND state = 'pending'
       RETURNING user_id, position`,
    ).all(to, at, inviteId) as { user_id: string; position: number }[];
    this.refreshStatus(inviteId);
    return moved.sort((a, b) => a.position - b.position).map((r) => r.user_id);
  }

  refreshStatus(inviteId: string): void {
    this.sql(
      `UPDATE call_invitations SET status = CASE WHEN EXISTS
         (SELECT 1 FROM call_invitees WHERE invite_id = @id AND state = 'pending') THEN 'pending' ELSE 'settled' END
       WHERE invite_id = @id`,
    ).run({ id: inviteId });
  }

  /** The end rule (port): at most one member left and nobody pending ends the call. */
  endIfOver(callId: string, at: number, by: string): CallChange {
    const row = this.read.callRow(callId)!;
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
        return { call: this.read.call(callId)!, ended: true };
      }
    }
    return { call: this.read.call(callId)!, ended: false };
  }
}
