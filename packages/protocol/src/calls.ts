/**
 * Calling contracts shared by the server, the CLI and the SDKs: the RTC credentials each app has (SDKAppID
 * and secret key, spec calling.md §1.7) and the userID rule (seed 002, `login({userID, userSig})`).
 */

import { Errors } from './errors.js';
import type { WechatOk } from './templates.js';

/**
 * SDKAppIDs Beckon hands out: random 10-digit numbers in Tencent's own range (1400000000 and up), so they fit
 * wherever a client expects one, including the 32-bit field of Tencent's SDKs. Unique per server.
 */
export const SDKAPPID_MIN = 1_400_000_000;
export const SDKAPPID_MAX = 1_499_999_999;

export function isSdkAppId(n: unknown): n is number {
  return Number.isSafeInteger(n) && (n as number) >= SDKAPPID_MIN && (n as number) <= SDKAPPID_MAX;
}

/** The RTC secret key: 64 lowercase hex characters, like the console's; used as is (not hex-decoded). */
export const RTC_SECRET_KEY_PATTERN = /^[0-9a-f]{64}$/;

/** Tencent IM's userID limit: 32 bytes (error 7003); the seed's charset makes a byte a character. */
export const USER_ID_MAX_LENGTH = 32;
/** userID: letters (a-z, A-Z), digits, hyphens and underscores only (seed 002, `login`), 1 to 32 long. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export function isUserId(s: unknown): s is string {
  return typeof s === 'string' && USER_ID_PATTERN.test(s);
}

/** Longest userSig lifetime a Beckon app issues: 50 years, Tencent's documented maximum. */
export const USERSIG_MAX_EXPIRE_SECONDS = 50 * 365 * 86_400;

/** `POST /admin/usersig`: a development userSig, signed by the server with the app's RTC secret key. */
export interface UserSigRequest {
  sdkAppId: number;
  userId: string;
  /** Lifetime in seconds; default USERSIG_DEFAULT_EXPIRE_SECONDS (180 days). */
  expire?: number;
}

export interface IssuedUserSig {
  sdkAppId: number;
  userId: string;
  /** Lifetime in seconds, from `issuedAt`. */
  expire: number;
  /** ISO time the sig was signed at (the server's clock). */
  issuedAt: string;
  userSig: string;
}

// ---------------------------------------------------------------------------------------------------------
// Call signaling (spec calling.md §1.2–1.5): the commands a logged-in client sends, the signals the server
// delivers (TRTCCalling's events, same names and payloads, moved to the server), and the results a call
// record keeps. The WebSocket frames wrap these; the server's CallService speaks them.

/** TRTCCalling's call types: 1 audio, 2 video (av_call `call_type`). */
export const CALL_TYPES = { AUDIO: 1, VIDEO: 2 } as const;
export type CallType = (typeof CALL_TYPES)[keyof typeof CALL_TYPES];

export function isCallType(n: unknown): n is CallType {
  return n === CALL_TYPES.AUDIO || n === CALL_TYPES.VIDEO;
}

/** av_call `data.cmd` of an invitation, by call type. */
export const CALL_CMD = { 1: 'audioCall', 2: 'videoCall' } as const satisfies Record<CallType, string>;
export type CallCmd = (typeof CALL_CMD)[CallType];

/** Every kit defaults to 30 s (spec §1.4); the server enforces it from a deadline in the store. */
export const CALL_DEFAULT_TIMEOUT_SECONDS = 30;
/** Longest ring Beckon accepts: an invitation is a held line, not a mailbox. */
export const CALL_MAX_TIMEOUT_SECONDS = 600;
/** TUICallKit's cap (`MAX_USER = 9`): members and pending invitees of one call, the caller included. */
export const CALL_MAX_USERS = 9;
/** TRTC room ids are 1…2147483646 (MP `call()`); clients may bring one, else the server draws it. */
export const CALL_ROOM_ID_MAX = 2_147_483_646;
/** IM group ids are at most 48 bytes; Beckon treats groupID as an opaque label of that size. */
export const CALL_GROUP_ID_PATTERN = /^[\x21-\x7e]{1,48}$/;

/**
 * What became of one invitee of one invitation: the call record's per-invitee result. `answered_elsewhere`:
 * the same user joined the call through another invitation (two members invited them; they took the other).
 */
export const CALL_RESULTS = [
  'answered',
  'rejected',
  'busy',
  'no_answer',
  'cancelled',
  'answered_elsewhere',
] as const;
export type CallResult = (typeof CALL_RESULTS)[number];
/** An invitee's state: still ringing, or settled with a result. */
export type InviteeState = 'pending' | CallResult;

/**
 * TRTCCalling's EVENT map: the strings web consumers compare against (`TRTCCalling.EVENT.INVITED ===
 * 'onInvited'`, spec §1.5), also the `event` of every CallSignal.
 */
export const TRTC_CALLING_EVENT = {
  INVITED: 'onInvited',
  USER_ACCEPT: 'onUserAccept',
  USER_ENTER: 'onUserEnter',
  USER_LEAVE: 'onUserLeave',
  REJECT: 'onReject',
  NO_RESP: 'onNoResp',
  LINE_BUSY: 'onLineBusy',
  CALLING_CANCEL: 'onCallingCancel',
  CALLING_TIMEOUT: 'onCallingTimeout',
  CALL_END: 'onCallEnd',
  KICKED_OUT: 'onKickedOut',
  USER_VIDEO_AVAILABLE: 'onUserVideoAvailable',
  USER_AUDIO_AVAILABLE: 'onUserAudioAvailable',
  GROUP_CALL_INVITEE_LIST_UPDATE: 'onGroupCallInviteeListUpdate',
  // Emitted by the browser SDK itself, not signalled by the server:
  ERROR: 'onError',
  SDK_READY: 'sdkReady',
  /** TRTCCalling's older name of CALL_END, same string. */
  CALLING_END: 'onCallEnd',
  USER_VOICE_VOLUME: 'onUserVoiceVolume',
} as const;

/**
 * TRTCCalling's error codes (spec §1.5): the browser SDK emits them as ERROR `{code, msg}` and rejects the
 * method's promise with them. Server refusals keep the server's codes (docs/calling.md).
 */
export const TRTC_CALLING_ERROR = {
  FAILURE_SWITCH_TO_AUDIO: 60001,
  FAILURE_SWITCH_TO_VIDEO: 60002,
  NOT_MICROPHONE_LIST: 60003,
  NOT_CAMERA_LIST: 60004,
  NOT_MEDIA_ACCESS: 60005,
  NOT_SUPPORT: 60006,
  NO_SDK_APPID: 2000,
  NO_IDENTIFIER: 2002,
  NO_USER_SIG: 2003,
  USER_NOT_LOGGED_IN: Errors.CALL_NOT_LOGGED_IN.code,
  NO_NETWORK: 2805,
  UNKNOWN: 65535,
} as const;

/** Members a browser call's mesh media plane carries, the caller included (more: CALL_MESH_FULL). */
export const MESH_MAX_USERS = 6;

/** `setVideoQuality` profiles (spec §1.5; default 480p), as capture constraints. */
export const VIDEO_PROFILES = {
  '240p': { width: 320, height: 240 },
  '360p': { width: 640, height: 360 },
  '480p': { width: 640, height: 480 },
  '720p': { width: 1280, height: 720 },
  '1080p': { width: 1920, height: 1080 },
} as const;
export type VideoProfile = keyof typeof VIDEO_PROFILES;

/** TSignaling's kick reasons (spec §1.4); a later login kicks the earlier session with `multipleAccount`. */
export const KICK_REASONS = ['multipleAccount', 'multipleDevice', 'userSigExpired'] as const;
export type KickReason = (typeof KICK_REASONS)[number];

/**
 * Why a ringing device stopped without the inviter cancelling (TUICallEngine's `OtherDeviceAccepted` /
 * `OtherDeviceReject`): another device of the same user (multi-device) answered or rejected.
 */
export type StopRingingReason = 'answered_elsewhere' | 'rejected_elsewhere';

/** `inviteData` of INVITED (web 1.0.6): av_call v4 read back. `callEnd` is 0 for a real invitation. */
export interface InviteData {
  version: 4;
  callType: CallType;
  roomID: number;
  callEnd: 0;
}

/**
 * What the server delivers to a session: TRTCCalling's events with its payloads (spec §1.5), each also
 * naming the call (`callId`) so a client can tell a stale signal from a live one. `onRelay` is Beckon's own:
 * media negotiation (SDP, ICE) from another member of the same call.
 */
export type CallSignal =
  | {
      event: 'onInvited';
      callId: string;
      inviteID: string;
      sponsor: string;
      /** Everyone else in the call: its members and invitees, the sponsor left out. */
      userIDList: string[];
      isFromGroup: boolean;
      groupID: string | null;
      inviteData: InviteData;
      /** ms since epoch: when the invitation stops ringing. */
      deadline: number;
    }
  | { event: 'onUserAccept'; callId: string; userID: string }
  | { event: 'onUserEnter'; callId: string; userID: string }
  | { event: 'onUserLeave'; callId: string; userID: string }
  | { event: 'onReject'; callId: string; userID: string }
  | { event: 'onNoResp'; callId: string; sponsor: string; userID: string; userIDList: string[] }
  | { event: 'onLineBusy'; callId: string; sponsor: string; userID: string }
  | { event: 'onCallingCancel'; callId: string; inviteID: string; reason?: StopRingingReason }
  | { event: 'onCallingTimeout'; callId: string; inviteID: string; sponsor: string; userIDList: string[] }
  /** `callEnd`: talk seconds (0 when nobody answered); `userID`: whose action ended it. */
  | { event: 'onCallEnd'; callId: string; userID: string; callEnd: number }
  | { event: 'onKickedOut'; reason: KickReason }
  | { event: 'onUserVideoAvailable'; callId: string; userID: string; isVideoAvailable: boolean }
  | { event: 'onUserAudioAvailable'; callId: string; userID: string; isAudioAvailable: boolean }
  | { event: 'onGroupCallInviteeListUpdate'; callId: string; userIDList: string[] }
  | { event: 'onRelay'; callId: string; userID: string; data: unknown };

export type CallSignalName = CallSignal['event'];

/** `call({userID,type})` / `groupCall({userIDList,type,groupID})`; while in a call it invites more people. */
export interface InviteCommand {
  userIDList: string[];
  type: CallType;
  groupID?: string;
  /** Seconds, 1…CALL_MAX_TIMEOUT_SECONDS; default 30. */
  timeout?: number;
  /** 1…CALL_ROOM_ID_MAX; drawn by the server when left out. Ignored when inviting into a running call. */
  roomID?: number;
  /**
   * Invite into this running call (`groupCall` while in a call). Without it the invite starts a new call, which
   * a member of a running call cannot (94001): an invite meant as a new call never joins an old one.
   */
  callId?: string;
}

/** The inviter's answer: the invitation, its call, and each invitee's state (busy ones settled at once). */
export interface InviteReceipt {
  inviteID: string;
  callId: string;
  roomID: number;
  callType: CallType;
  deadline: number;
  invitees: { userID: string; state: InviteeState }[];
}

/** What an accepting session joins. */
export interface AcceptReceipt {
  callId: string;
  roomID: number;
  callType: CallType;
  /** The call's members, the new one included. */
  members: string[];
}

/**
 * The commands of a logged-in session, as `type`-tagged objects (the gateway's frames carry them).
 * Login and logout are the gateway's (userSig check), then the service's.
 */
export type CallCommand =
  /** Nested: InviteCommand's own `type` is the call type. */
  | { type: 'call.invite'; invite: InviteCommand }
  | { type: 'call.accept'; inviteID: string }
  | { type: 'call.reject'; inviteID: string }
  | { type: 'call.cancel'; inviteID: string }
  | { type: 'call.hangup'; callId?: string }
  | { type: 'call.media'; callId: string; video?: boolean; audio?: boolean }
  | { type: 'call.relay'; callId: string; toUserID: string; data: unknown };

/**
 * The fields of a call webhook (CALL_EVENTS, JSON; the push head `ToUserName`, `FromUserName`, `CreateTime`,
 * `MsgType`, `Event` comes first). `FromUserName` is the userID the event is about: an RTC userID is the
 * app's own, so it is not turned into an openid. Times are seconds since the epoch, like `CreateTime`.
 */
export interface CallWebhookFields {
  CallId: string;
  RoomId: number;
  CallType: CallType;
  Caller: string;
  GroupId: string | null;
  StartTime: number;
  /** Per-invitee events: the invitation and its invitee. */
  InviteId?: string;
  Inviter?: string;
  Invitee?: string;
  Result?: CallResult;
  /** `call_ended_event`: the whole record. */
  EndTime?: number;
  /** Talk seconds, from the first answer to the end; 0 when nobody answered. */
  Duration?: number;
  Invitees?: { UserId: string; InviteId: string; Inviter: string; Result: InviteeState }[];
}

/** A call record as the app's backend reads it (issue 5 §3). Times are ISO strings. */
export interface CallRecordView {
  callId: string;
  caller: string;
  callType: CallType;
  roomId: number;
  groupId: string | null;
  status: 'running' | 'ended';
  startedAt: string;
  /** The first answer; null when nobody answered (yet). */
  connectedAt: string | null;
  endedAt: string | null;
  /** Talk seconds; null while running. */
  duration: number | null;
  invitees: {
    userId: string;
    inviteId: string;
    invitedBy: string;
    invitedAt: string;
    result: InviteeState;
  }[];
}

export interface CallRecordList {
  records: CallRecordView[];
  /** Pass as `cursor` for the next page; null on the last. */
  next: string | null;
}

/** Records per page: default and most. */
export const CALL_RECORDS_DEFAULT_LIMIT = 20;
export const CALL_RECORDS_MAX_LIMIT = 100;

/** `GET /beckon/calls?access_token=&from=&to=&limit=&cursor=` (from/to: Unix seconds). */
export interface CallRecordListResponse extends WechatOk, CallRecordList {}

/** `GET /beckon/calls/:callId?access_token=` */
export type CallRecordResponse = WechatOk & CallRecordView;

/** `GET|PUT /admin/apps/:appid/calls`: the app's calling options (`beckon app calls`). */
export interface CallSettingsView {
  appid: string;
  /** All of a user's sessions ring and stay logged in; off: a later login kicks the earlier one. */
  multiDevice: boolean;
}

/** One entry of RTCConfiguration.iceServers, as the server hands it to a logged-in client. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}
