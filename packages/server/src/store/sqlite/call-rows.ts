import type { CallCmd, CallType, InviteeState } from '@beckon/protocol';
import type Database from 'better-sqlite3';
import type { CallInviteeRecord, CallMemberRecord, CallRecord, InvitationRecord } from '../port.js';

export interface CallRow {
  call_id: string;
  appid: string;
  sdk_app_id: number;
  caller: string;
  call_type: CallType;
  room_id: number;
  group_id: string | null;
  started_at: number;
  connected_at: number | null;
  ended_at: number | null;
  duration: number | null;
  ended_by: string | null;
}

export interface InvitationRow {
  invite_id: string;
  call_id: string;
  inviter: string;
  group_id: string | null;
  cmd: CallCmd;
  timeout_seconds: number;
  created_at: number;
  deadline: number;
  status: 'pending' | 'settled';
  appid: string;
  sdk_app_id: number;
  call_type: CallType;
  room_id: number;
}

interface InviteeRow {
  invite_id: string;
  user_id: string;
  state: InviteeState;
  settled_at: number | null;
  session_id: string | null;
  inviter: string;
  created_at: number;
}

/** A call_members row as `MEMBER_COLUMNS` selects it. */
export interface MemberRow {
  user_id: string;
  session_id: string | null;
  node_id: string | null;
  joined_at: number;
  left_at: number | null;
  video: number | null;
  audio: number | null;
}

export const MEMBER_COLUMNS = 'user_id, session_id, node_id, joined_at, left_at, video, audio';

const flag = (v: number | null) => (v === null ? null : v === 1);

export function memberRecord(m: MemberRow): CallMemberRecord {
  return {
    userId: m.user_id,
    sessionId: m.session_id,
    joinedAt: m.joined_at,
    leftAt: m.left_at,
    nodeId: m.node_id,
    video: flag(m.video),
    audio: flag(m.audio),
  };
}

const INVITATION = `SELECT v.*, c.appid, c.sdk_app_id, c.call_type, c.room_id
  FROM call_invitations v JOIN calls c ON c.call_id = v.call_id`;

/** Reads calls and invitations whole (rows of four tables into the port's records); used inside transactions too. */
export class CallReader {
  constructor(private readonly sql: (text: string) => Database.Statement) {}

  callRow(callId: string): CallRow | undefined {
    return this.sql('SELECT * FROM calls WHERE call_id = ?').get(callId) as CallRow | undefined;
  }

  invitationRow(inviteId: string): InvitationRow | undefined {
    return this.sql(`${INVITATION} WHERE v.invite_id = ?`).get(inviteId) as InvitationRow | undefined;
  }

  call(callId: string): CallRecord | undefined {
    const r = this.callRow(callId);
    if (!r) return undefined;
    const members = (
      this.sql(`SELECT ${MEMBER_COLUMNS} FROM call_members WHERE call_id = ? ORDER BY joined_at, rowid`).all(
        callId,
      ) as MemberRow[]
    ).map(memberRecord);
    const invitees = (
      this.sql(
        `SELECT i.invite_id, i.user_id, i.state, i.settled_at, i.session_id, v.inviter, v.created_at
         FROM call_invitees i JOIN call_invitations v ON v.invite_id = i.invite_id
         WHERE i.call_id = ? ORDER BY v.created_at, v.rowid, i.position`,
      ).all(callId) as InviteeRow[]
    ).map(
      (i): CallInviteeRecord => ({
        inviteId: i.invite_id,
        userId: i.user_id,
        invitedBy: i.inviter,
        invitedAt: i.created_at,
        result: i.state,
        settledAt: i.settled_at,
        sessionId: i.session_id,
      }),
    );
    return {
      callId: r.call_id,
      appid: r.appid,
      sdkAppId: r.sdk_app_id,
      caller: r.caller,
      callType: r.call_type,
      roomId: r.room_id,
      groupId: r.group_id,
      startedAt: r.started_at,
      connectedAt: r.connected_at,
      endedAt: r.ended_at,
      duration: r.duration,
      endedBy: r.ended_by,
      members,
      invitees,
    };
  }

  invitation(inviteId: string): InvitationRecord | undefined {
    const r = this.invitationRow(inviteId);
    if (!r) return undefined;
    const invitees = this.sql(
      'SELECT user_id, state, settled_at, session_id, rung_at FROM call_invitees WHERE invite_id = ? ORDER BY position',
    ).all(inviteId) as {
      user_id: string;
      state: InviteeState;
      settled_at: number | null;
      session_id: string | null;
      rung_at: number | null;
    }[];
    return {
      inviteId: r.invite_id,
      callId: r.call_id,
      appid: r.appid,
      sdkAppId: r.sdk_app_id,
      inviter: r.inviter,
      groupId: r.group_id,
      callType: r.call_type,
      roomId: r.room_id,
      cmd: r.cmd,
      timeoutSeconds: r.timeout_seconds,
      createdAt: r.created_at,
      deadline: r.deadline,
      status: r.status,
      invitees: invitees.map((i) => ({
        userId: i.user_id,
        state: i.state,
        settledAt: i.settled_at,
        sessionId: i.session_id,
        rungAt: i.rung_at,
      })),
    };
  }
}
