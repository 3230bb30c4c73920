import type { CallCmd, CallResult, CallType, InviteeState } from '@beckon/protocol';
import type { PushEnqueue } from './push.js';

/*
 * Calling's durable truth (spec calling.md §1.2–1.4): calls (the record an app lists), their members, and
 * invitations with a state per invitee. Sessions are not here: they live with the connection that holds
 * them. Every method is one transaction (the call webhooks it reports included, see CallEvents); settling an
 * invitee is compare-and-set on its state, so two nodes (or two devices) resolving the same invitee cannot
 * both win.
 *
 * The end rule, applied in the same transaction by every method that can trigger it: a call ends when at
 * most one member is left in it and none of its invitees is pending. Its remaining member leaves with it.
 */

/** One user of an app, as calling names them. */
export interface CallUser {
  sdkAppId: number;
  userId: string;
}

export interface CallMemberRecord {
  userId: string;
  /** The session that joined (the caller's that invited, or the invitee's that accepted). */
  sessionId: string | null;
  joinedAt: number;
  /** null while in the call. */
  leftAt: number | null;
  /**
   * The node (CallService) that holds the joining session; a sweep evicts the member once that node stops
   * heartbeating (`stranded`). null for rows from before nodes were recorded: never evicted by a sweep.
   */
  nodeId: string | null;
  /** Camera / mic as the member last set them (`setMedia`); null until set, again on rejoining. */
  video: boolean | null;
  audio: boolean | null;
}

/** Camera and/or mic on or off. */
export interface MediaState {
  video?: boolean;
  audio?: boolean;
}

/** A member still in a running call whose node stopped heartbeating. */
export interface StrandedMember {
  callId: string;
  userId: string;
  nodeId: string;
}

/** One invitee of one invitation, as the call record lists it. */
export interface CallInviteeRecord {
  inviteId: string;
  userId: string;
  invitedBy: string;
  invitedAt: number;
  result: InviteeState;
  settledAt: number | null;
  /** The session that answered or rejected; null otherwise. */
  sessionId: string | null;
}

/** A call as the store keeps it: what it started with, and what happened since. */
export interface CallRecord extends NewCall {
  /** The first answer; null while (or if) nobody answered. */
  connectedAt: number | null;
  endedAt: number | null;
  /** Talk seconds, floor((endedAt - connectedAt) / 1000); 0 when nobody answered; null while running. */
  duration: number | null;
  /** The user whose action ended the call (a hangup, a reject, a timeout's inviter…). */
  endedBy: string | null;
  /** Everyone who joined, in join order, those who left included. */
  members: CallMemberRecord[];
  /** Every invitee of every invitation of the call, in invitation order. */
  invitees: CallInviteeRecord[];
}

export interface InvitationInvitee {
  userId: string;
  state: InviteeState;
  settledAt: number | null;
  sessionId: string | null;
  /**
   * When INVITED first reached a live session of theirs; null if it never did (offline). At the deadline
   * the inviter hears CALLING_TIMEOUT for a rung invitee and NO_RESP for the others (spec §1.4).
   */
  rungAt: number | null;
}

/** One invite action (TSignaling `invite`/`inviteInGroup`): its invitees and the av_call data. */
export interface InvitationRecord {
  inviteId: string;
  callId: string;
  appid: string;
  sdkAppId: number;
  inviter: string;
  groupId: string | null;
  callType: CallType;
  roomId: number;
  cmd: CallCmd;
  timeoutSeconds: number;
  createdAt: number;
  /** createdAt + timeoutSeconds: past it a pending invitee is due for no_answer. */
  deadline: number;
  /** pending while any invitee is. */
  status: 'pending' | 'settled';
  invitees: InvitationInvitee[];
}

/** A new invitation: every invitee starts pending, or busy when the store finds them busy. */
export interface NewInvitation {
  inviteId: string;
  callId: string;
  inviter: string;
  /** The inviter's session: it joins the call as a member when the call starts. */
  inviterSessionId: string;
  /** The node holding that session (CallMemberRecord.nodeId). */
  inviterNodeId?: string;
  invitees: string[];
  groupId: string | null;
  cmd: CallCmd;
  timeoutSeconds: number;
  createdAt: number;
}

export interface NewCall {
  callId: string;
  appid: string;
  sdkAppId: number;
  caller: string;
  callType: CallType;
  roomId: number;
  groupId: string | null;
  startedAt: number;
}

/** A change that may have ended the call: the call as it is after it. */
export interface CallChange {
  call: CallRecord;
  /** True when this change ended the call. */
  ended: boolean;
}

export type StartOutcome =
  | ({ ok: true; invitation: InvitationRecord } & CallChange)
  /** The caller is a member of a running call or a pending invitee of a live invitation. */
  | { ok: false; reason: 'caller_busy' };

export type InviteMoreOutcome =
  | ({ ok: true; invitation: InvitationRecord } & CallChange)
  /** The inviter is not (or no longer) a member of the running call. */
  | { ok: false; reason: 'not_member' };

export type Answer = Extract<CallResult, 'answered' | 'rejected'>;

export type SettleOutcome =
  | ({
      ok: true;
      invitation: InvitationRecord;
      /** Other pending invitations of the same user in the same call, settled answered_elsewhere. */
      elsewhere: string[];
    } & CallChange)
  | { ok: false; reason: 'not_found' | 'not_invitee' | 'processed' | 'expired' };

export type CancelOutcome =
  | ({ ok: true; invitation: InvitationRecord; cancelled: string[] } & CallChange)
  | { ok: false; reason: 'not_found' | 'not_inviter' };

export type ExpireOutcome = ({ invitation: InvitationRecord; timedOut: string[] } & CallChange) | undefined;

export type LeaveOutcome =
  | ({
      ok: true;
      /** The leaver's own invitations that still rang, cancelled by the hangup (TRTCCalling `hangup()`). */
      cancelled: { inviteId: string; userIds: string[] }[];
    } & CallChange)
  | { ok: false; reason: 'not_member' };

export interface CallRecordQuery {
  /** Calls started at or after (ms). */
  from?: number;
  /** Calls started before (ms). */
  to?: number;
  limit: number;
  /** Only calls after this position in the listing's order (the previous page's `next`). */
  after?: CallRecordPosition;
}

/** A place in the listing's order: newest first, by startedAt, then callId (descending). */
export interface CallRecordPosition {
  startedAt: number;
  callId: string;
}

export interface CallRecordPage {
  records: CallRecord[];
  /** Where the next page starts; null on the last page. */
  next: CallRecordPosition | null;
}

/**
 * The call webhooks (CALL_EVENTS) a change reports, made from its outcome inside the change's own
 * transaction and written there to the push outbox (as `PushStore.enqueue` would: only while the app has
 * push enabled; the adapter may skip calling it otherwise). So an event exists exactly when its change
 * committed: a node dying after the commit loses none. Never called for a refused change; if it throws, the
 * change is undone.
 */
export type CallEvents<O> = (outcome: O) => readonly PushEnqueue[];

/** Per-app calling options. */
export interface CallSettings {
  /** All of a user's sessions ring and stay logged in (off: a later login kicks the earlier). */
  multiDevice: boolean;
}

export interface CallStore {
  /** Starts a call: the call, the caller as its first member, and its first invitation (busy decided here). */
  start(
    call: NewCall,
    invitation: NewInvitation,
    events?: CallEvents<Extract<StartOutcome, { ok: true }>>,
  ): Promise<StartOutcome>;
  /** Invites more people into a running call (late joiners); the inviter must be one of its members. */
  inviteMore(
    invitation: NewInvitation,
    events?: CallEvents<Extract<InviteMoreOutcome, { ok: true }>>,
  ): Promise<InviteMoreOutcome>;
  /**
   * An invitee's answer, compare-and-set: only a pending invitee of a live invitation (`at` before its
   * deadline) moves; `answered` makes them a member (`sessionId`'s, held by node `nodeId`) and marks the
   * call connected.
   */
  settle(
    inviteId: string,
    userId: string,
    answer: Answer,
    at: number,
    sessionId: string,
    events?: CallEvents<Extract<SettleOutcome, { ok: true }>>,
    nodeId?: string,
  ): Promise<SettleOutcome>;
  /** The inviter withdraws: every pending invitee becomes cancelled. */
  cancel(
    inviteId: string,
    by: string,
    at: number,
    events?: CallEvents<Extract<CancelOutcome, { ok: true }>>,
  ): Promise<CancelOutcome>;
  /** Notes that INVITED reached a live session of these invitees (the first time counts). */
  markRung(inviteId: string, userIds: string[], at: number): Promise<void>;
  /** Every pending invitee of an invitation whose deadline is at or before `at` becomes no_answer. */
  expire(
    inviteId: string,
    at: number,
    events?: CallEvents<NonNullable<ExpireOutcome>>,
  ): Promise<ExpireOutcome>;
  /**
   * A member hangs up: their ringing invitations are cancelled, they leave, the end rule applies. With
   * `fromNode`, only if they are in the call from that node (an eviction must not undo a rejoin elsewhere).
   */
  leave(
    callId: string,
    userId: string,
    at: number,
    events?: CallEvents<Extract<LeaveOutcome, { ok: true }>>,
    fromNode?: string,
  ): Promise<LeaveOutcome>;
  getCall(callId: string): Promise<CallRecord | undefined>;
  /**
   * Which of `userIds` are in the running call of app `sdkAppId` now: their member rows only, without the
   * rest of the call (the relay's check on every SDP/ICE message). Empty for an unknown or ended call.
   */
  membersIn(callId: string, sdkAppId: number, userIds: readonly string[]): Promise<CallMemberRecord[]>;
  /** Stores a member's camera/mic (what is given); false when they are not in the running call. */
  setMedia(callId: string, userId: string, media: MediaState): Promise<boolean>;
  /** Node `nodeId` is alive at `at` (never moves its time back). Joining a member counts as one too. */
  heartbeat(nodeId: string, at: number): Promise<void>;
  /** Members still in running calls whose node was last seen before `seenBefore`, oldest joined first. */
  stranded(seenBefore: number, limit: number): Promise<StrandedMember[]>;
  /** Forgets nodes last seen before `seenBefore` that have nobody left in a call; returns how many. */
  forgetNodes(seenBefore: number): Promise<number>;
  getInvitation(inviteId: string): Promise<InvitationRecord | undefined>;
  /** Invitations where the user is still pending and which ring past `now` (offline delivery), oldest first. */
  ringing(user: CallUser, now: number): Promise<InvitationRecord[]>;
  /** The running calls the user is a member of. */
  activeCalls(user: CallUser): Promise<CallRecord[]>;
  /** Pending invitations whose deadline is at or before `now`, earliest deadline first. */
  overdue(now: number, limit: number): Promise<InvitationRecord[]>;
  /** The app's call records, running ones included. */
  records(appid: string, query: CallRecordQuery): Promise<CallRecordPage>;
  settings(appid: string): Promise<CallSettings>;
  saveSettings(appid: string, settings: CallSettings): Promise<void>;
}
