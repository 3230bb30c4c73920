import {
  CALL_TYPES,
  type CallSignal,
  type CallType,
  MESH_MAX_USERS,
  TRTC_CALLING_ERROR,
  TRTC_CALLING_EVENT,
  type VideoProfile,
} from '@beckon/protocol/calls';
import { Errors } from '@beckon/protocol/errors';
import { type CallStatus, CurrentCall } from './call.js';
import { CALL_SOCKET_RETRIES, CallSession, type CallSessionEvents } from './call-session.js';
import { CallState, type SwitchMessage } from './call-state.js';
import { supportsWebRTC } from './devices.js';
import { Emitter } from './emitter.js';
import { CallingError } from './errors.js';
import type { MediaPlane } from './media/plane.js';
import { invalidArgument, MediaControls } from './media-controls.js';
import { BeckonSocket } from './socket/index.js';

export interface TRTCCallingOptions {
  SDKAppID: number;
  /** The Beckon server's URL (default: the page's origin). */
  server?: string;
  /** Accepted for compatibility with Tencent's options; Beckon has no TIM instance to share. */
  tim?: unknown;
  /**
   * Beckon's own: a socket to share (the phone's, opened with the platform session, which carries its inbox
   * too) instead of one opened for calling alone. `logout()` then leaves it open; `server` is not used.
   */
  socket?: BeckonSocket;
}

/**
 * TRTCCalling on Beckon: Tencent's web component's methods, events (`TRTCCalling.EVENT`, same strings and
 * payloads) and error codes, with signaling over Beckon's `/ws` and WebRTC media between the members.
 *
 * @example
 * const trtcCalling = new TRTCCalling({ SDKAppID: 1400123456 });
 * trtcCalling.on(TRTCCalling.EVENT.INVITED, () => trtcCalling.accept());
 * await trtcCalling.login({ userID: 'alice', userSig });
 * await trtcCalling.call({ userID: 'bob', type: 2 });
 */
export class TRTCCalling {
  static readonly EVENT = TRTC_CALLING_EVENT;
  static readonly ERROR = TRTC_CALLING_ERROR;
  static readonly CALL_TYPE = CALL_TYPES;
  /** Whether this browser can make calls (60006 otherwise). */
  static isSupported = supportsWebRTC;

  private readonly emitter = new Emitter((err, event) =>
    console.error(`TRTCCalling: a ${event} listener threw`, err),
  );
  private readonly media: MediaControls = new MediaControls({
    plane: (): MediaPlane | undefined => this.state.plane,
    tellMedia: (state) => this.tellMedia(state),
    reported: (err) => this.reported(err),
  });
  private signaling: CallSession | undefined;
  private userID: string | undefined;
  private readonly state: CallState = new CallState({
    media: this.media,
    userID: () => this.userID,
    iceServers: () => this.signaling?.session?.iceServers ?? [],
    emit: (event, payload) => this.emitter.emit(event, payload),
    relay: (call, to, data) => this.relay(call, to, data),
  });
  /** The accept in flight: a second tap waits for it, a hangup waits and then leaves. */
  private accepting: Promise<void> | undefined;

  constructor(private readonly options: TRTCCallingOptions) {}

  /** Listens to an event (`TRTCCalling.EVENT.*`); `context` becomes the callback's `this`. */
  // biome-ignore lint/suspicious/noExplicitAny: each event has its own payload, as in Tencent's typings
  on(eventName: string, callback: (payload: any) => void, context?: unknown): void {
    this.emitter.on(eventName, callback, context);
  }

  // biome-ignore lint/suspicious/noExplicitAny: as on()
  off(eventName: string, callback?: (payload: any) => void, context?: unknown): void {
    this.emitter.off(eventName, callback, context);
  }

  /** Accepted for compatibility; the SDK logs only warnings and errors. */
  setLogLevel(_level: number): void {}

  /** The call state: `idle`, `calling` (ringing either way) or `connected`. */
  getCallStatus(): CallStatus {
    return this.state.status;
  }

  /**
   * Logs in to calling with the app's userSig. Resolves once the server accepted it (then SDK_READY).
   * @example await trtcCalling.login({ userID: 'alice', userSig });
   */
  async login({ userID, userSig }: { userID: string; userSig: string }): Promise<void> {
    const sdkAppId = Number(this.options?.SDKAppID);
    if (!sdkAppId) throw this.fail(TRTC_CALLING_ERROR.NO_SDK_APPID, 'SDKAppID is missing');
    if (!userID) throw this.fail(TRTC_CALLING_ERROR.NO_IDENTIFIER, 'userID is missing');
    if (!userSig) throw this.fail(TRTC_CALLING_ERROR.NO_USER_SIG, 'userSig is missing');
    if (this.signaling) await this.logout();
    const shared = this.options.socket;
    const socket = shared ?? new BeckonSocket({ server: this.options.server, retries: CALL_SOCKET_RETRIES });
    const events: CallSessionEvents = {
      signal: (signal) => this.state.onSignal(signal),
      reconnected: (resumed) => {
        if (!resumed) this.state.endLocally();
      },
      closed: (reason) => {
        this.state.endLocally();
        this.signaling = undefined;
        if (reason === 'replaced')
          this.emitter.emit(TRTC_CALLING_EVENT.KICKED_OUT, { reason: 'multipleAccount' });
        if (reason === 'gone') this.fail(TRTC_CALLING_ERROR.NO_NETWORK, 'lost the connection to the server');
      },
    };
    const signaling = new CallSession(socket, events, !shared);
    this.signaling = signaling;
    try {
      await signaling.open({ sdkAppId, userId: userID, userSig });
    } catch (err) {
      this.signaling = undefined;
      await signaling.close();
      throw err;
    }
    this.userID = userID;
    this.emitter.emit(TRTC_CALLING_EVENT.SDK_READY, {});
  }

  /** Hangs up whatever call there is and logs out. */
  async logout(): Promise<void> {
    await this.hangup().catch(() => {});
    this.state.reset();
    await this.signaling?.close();
    this.signaling = undefined;
    this.userID = undefined;
  }

  /**
   * Calls one user (1 audio, 2 video).
   * @example await trtcCalling.call({ userID: 'bob', type: TRTCCalling.CALL_TYPE.VIDEO });
   */
  async call({ userID, type }: { userID: string; type: CallType; offlinePushInfo?: unknown }): Promise<void> {
    await this.start([userID], type, undefined, false);
  }

  /**
   * Calls several users; while in a call, invites them into it (same room).
   * @example await trtcCalling.groupCall({ userIDList: ['bob', 'carol'], type: 2 });
   */
  async groupCall({
    userIDList,
    type,
    groupID,
  }: {
    userIDList: string[];
    type: CallType;
    groupID?: string;
    offlinePushInfo?: unknown;
  }): Promise<void> {
    const call = this.state.call;
    if (!call?.joined) return this.start(userIDList, type, groupID, true);
    if (!Array.isArray(userIDList) || userIDList.length === 0)
      throw this.reported(invalidArgument('name at least one user to invite'));
    this.refuseOverMesh(call.sizeWith(userIDList));
    const receipt = await this.request('call.invite', {
      invite: { userIDList, type: call.callType, callId: call.callId, ...(groupID ? { groupID } : {}) },
    });
    for (const i of receipt.invitees) if (i.state === 'pending') call.ringing.add(i.userID);
  }

  /** Accepts the invitation ringing now (INVITED); a second tap waits for the first. */
  accept(): Promise<void> {
    this.accepting ??= this.answer().finally(() => {
      this.accepting = undefined;
    });
    return this.accepting;
  }

  /** Rejects the invitation ringing now (every one, when two members rang this user into one call). */
  async reject(): Promise<void> {
    const call = this.state.call;
    if (!call?.incoming.length || call.joined)
      throw this.fail(Errors.SIGNALING_INVALID_INVITE_ID.code, 'no invitation to reject');
    this.state.reset();
    await Promise.all(call.incoming.map((i) => this.request('call.reject', { inviteID: i.inviteID })));
  }

  /**
   * Ends this user's part: leaves the call (cancelling what it still rings), rejects a ringing invitation,
   * or, while the call is being placed, ends it as soon as it exists.
   */
  async hangup(): Promise<void> {
    if (this.state.starting) {
      this.state.starting.hungUp = true;
      return;
    }
    if (this.accepting) await this.accepting.catch(() => {});
    const call = this.state.call;
    if (!call) return;
    if (!call.joined) return this.reject();
    this.state.reset();
    await this.leave(call);
  }

  /** Renders a member's video in the DOM node with this id (a `<video>` the SDK creates). */
  startRemoteView({ userID, videoViewDomID }: { userID: string; videoViewDomID: string }): void {
    this.media.startRemoteView(userID, videoViewDomID);
  }

  stopRemoteView({ userID }: { userID: string; videoViewDomID?: string }): void {
    this.media.stopRemoteView(userID);
  }

  /** Renders this user's camera in the DOM node with this id (muted). */
  startLocalView({ videoViewDomID }: { userID?: string; videoViewDomID: string }): void {
    this.media.startLocalView(videoViewDomID);
  }

  stopLocalView(_options?: { userID?: string; videoViewDomID?: string }): void {
    this.media.stopLocalView();
  }

  /** Turns the camera on: the peers receive video again and hear USER_VIDEO_AVAILABLE true. */
  openCamera(): Promise<void> {
    return this.media.openCamera();
  }

  /** Turns the camera off: the peers stop receiving video and hear USER_VIDEO_AVAILABLE false. */
  closeCamera(): Promise<void> {
    return this.media.closeCamera();
  }

  /** Mutes (true) or unmutes the microphone; the peers hear USER_AUDIO_AVAILABLE. */
  setMicMute(isMute: boolean): Promise<void> {
    return this.media.setMicMute(isMute);
  }

  /** '240p' … '1080p' (default '480p'); applies to the camera opened by the next call, groupCall or accept. */
  setVideoQuality(profile: VideoProfile): void {
    this.media.setVideoQuality(profile);
  }

  /** A 1:1 video call becomes an audio call on both sides (60001 when it cannot). */
  switchToAudioCall(): Promise<void> {
    return this.switchTo(CALL_TYPES.AUDIO);
  }

  /** A 1:1 audio call becomes a video call on both sides (60002 when it cannot). */
  switchToVideoCall(): Promise<void> {
    return this.switchTo(CALL_TYPES.VIDEO);
  }

  getCameras(): Promise<MediaDeviceInfo[]> {
    return this.media.getCameras();
  }

  getMicrophones(): Promise<MediaDeviceInfo[]> {
    return this.media.getMicrophones();
  }

  /** Swaps the camera (`'video'`) or microphone (`'audio'`) without ending the call. */
  switchDevice({
    deviceType,
    deviceId,
    deviceID,
  }: {
    deviceType: 'video' | 'audio';
    deviceId?: string;
    deviceID?: string;
  }): Promise<void> {
    return this.media.switchDevice(deviceType, deviceId ?? deviceID);
  }

  /** Beckon's own: the WebRTC statistics of the connection with a member (inbound-rtp `framesDecoded`…). */
  async getStats(userID: string): Promise<RTCStatsReport | undefined> {
    return this.state.plane?.stats(userID);
  }

  // ---------------------------------------------------------------------------------------------------

  private async start(userIDList: string[], type: CallType, groupID: string | undefined, group: boolean) {
    if (!this.signaling) throw this.fail(TRTC_CALLING_ERROR.USER_NOT_LOGGED_IN, 'log in first');
    if (this.state.status !== 'idle')
      throw this.fail(Errors.CALL_IN_PROGRESS.code, Errors.CALL_IN_PROGRESS.message);
    if (!Array.isArray(userIDList) || userIDList.length === 0)
      throw this.reported(invalidArgument('name at least one user to call'));
    this.refuseOverMesh(1 + new Set(userIDList).size);
    this.state.status = 'calling';
    const starting = { early: [] as CallSignal[], hungUp: false };
    this.state.starting = starting;
    let call: CurrentCall;
    try {
      await this.media.open(type);
      if (starting.hungUp)
        throw new CallingError(TRTC_CALLING_ERROR.UNKNOWN, 'hung up before the call started');
      const receipt = await this.request('call.invite', {
        invite: { userIDList, type, ...(groupID ? { groupID } : {}) },
      });
      call = new CurrentCall(receipt.callId, type, group || userIDList.length > 1);
      call.joined = true;
      for (const i of receipt.invitees) if (i.state === 'pending') call.ringing.add(i.userID);
      this.state.call = call;
      this.state.plane = this.state.newPlane(call);
    } catch (err) {
      this.state.starting = undefined;
      this.state.reset();
      // No call of ours: an invitation that rang meanwhile rings now.
      for (const signal of starting.early) this.state.onSignal(signal);
      if (starting.hungUp) return;
      throw err;
    }
    this.state.starting = undefined;
    for (const signal of starting.early) this.state.onSignal(signal);
    if (starting.hungUp) return this.hangup();
    void this.tellMedia(this.media.state());
  }

  private async answer(): Promise<void> {
    const call = this.state.call;
    const incoming = call?.incoming[0];
    if (!call || !incoming || call.joined)
      throw this.fail(Errors.SIGNALING_INVALID_INVITE_ID.code, 'no invitation to accept');
    this.refuseOverMesh(new Set([...incoming.userIDList, incoming.sponsor]).size);
    await this.media.open(call.callType);
    if (this.state.call !== call) {
      // Cancelled (or timed out) while the camera opened: give the devices back.
      this.media.close();
      throw this.fail(Errors.SIGNALING_INVALID_INVITE_ID.code, 'the invitation is over');
    }
    const receipt = await this.request('call.accept', { inviteID: incoming.inviteID }).catch((err) => {
      if (this.state.call === call) this.state.reset();
      throw err;
    });
    if (this.state.call !== call) {
      // Ended while the accept was on its way (the server has us in the call): leave it.
      await this.leave(call);
      return;
    }
    call.incoming.length = 0;
    call.joined = true;
    this.state.status = 'connected';
    for (const member of receipt.members) if (member !== this.userID) this.state.enter(call, member);
    void this.tellMedia(this.media.state());
  }

  private async leave(call: CurrentCall): Promise<void> {
    await this.request('call.hangup', { callId: call.callId }).catch((err) => {
      // Already over on the server (the other side left first): nothing to hang up.
      if (!(err instanceof CallingError && err.code === Errors.CALL_NOT_FOUND.code)) throw err;
    });
  }

  private async switchTo(type: CallType): Promise<void> {
    const [code, name] =
      type === CALL_TYPES.AUDIO
        ? [TRTC_CALLING_ERROR.FAILURE_SWITCH_TO_AUDIO, 'switchToAudioCall']
        : [TRTC_CALLING_ERROR.FAILURE_SWITCH_TO_VIDEO, 'switchToVideoCall'];
    const call = this.state.call;
    const peer = call?.onlyPeer;
    if (!call?.joined || !peer || call.callType === type)
      throw this.fail(code, `${name} needs a 1:1 ${type === CALL_TYPES.AUDIO ? 'video' : 'audio'} call`);
    try {
      const to = type === CALL_TYPES.AUDIO ? 'audio' : 'video';
      await this.relay(call, peer, { kind: 'switch', to } satisfies SwitchMessage);
      if (type === CALL_TYPES.AUDIO) await this.media.closeCamera();
      else await this.media.openCamera();
      call.callType = type;
    } catch (err) {
      throw this.fail(code, `${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async tellMedia(state: { video?: boolean; audio?: boolean }): Promise<void> {
    const call = this.state.call;
    if (call?.joined) await this.request('call.media', { callId: call.callId, ...state });
  }

  private relay(call: CurrentCall, toUserID: string, data: unknown): Promise<null> {
    return this.request('call.relay', { callId: call.callId, toUserID, data });
  }

  private request: CallSession['request'] = (type, fields) => {
    if (!this.signaling)
      return Promise.reject(this.fail(TRTC_CALLING_ERROR.USER_NOT_LOGGED_IN, 'log in first'));
    return this.signaling.request(type, fields);
  };

  /** 94004 (as ERROR too) before anything is sent, when `people` (this user included) overflow the mesh. */
  private refuseOverMesh(people: number): void {
    if (people > MESH_MAX_USERS) throw this.fail(Errors.CALL_MESH_FULL.code, Errors.CALL_MESH_FULL.message);
  }

  /** An error to throw, reported as ERROR first. */
  private fail(code: number, msg: string): CallingError {
    return this.reported(new CallingError(code, msg));
  }

  private reported(err: unknown): CallingError {
    const error =
      err instanceof CallingError ? err : new CallingError(TRTC_CALLING_ERROR.UNKNOWN, String(err));
    this.emitter.emit(TRTC_CALLING_EVENT.ERROR, error.payload);
    return error;
  }
}
