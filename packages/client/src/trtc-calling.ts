import {
  CALL_TYPES,
  type CallSignal,
  type CallType,
  MESH_MAX_USERS,
  TRTC_CALLING_ERROR,
  TRTC_CALLING_EVENT,
  VIDEO_PROFILES,
  type VideoProfile,
} from '@beckon/protocol/calls';
import { Errors } from '@beckon/protocol/errors';
import { type CallStatus, CurrentCall } from './call.js';
import { listDevices, requireWebRTC, supportsWebRTC } from './devices.js';
import { Emitter } from './emitter.js';
import { CallingError } from './errors.js';
import { LocalMedia } from './local-media.js';
import { MeshPlane } from './media/mesh.js';
import type { MediaPlane } from './media/plane.js';
import { eventOf } from './signal-events.js';
import { Signaling, socketUrl } from './signaling.js';
import { Views } from './views.js';

export interface TRTCCallingOptions {
  SDKAppID: number;
  /** The Beckon server's URL (default: the page's origin). */
  server?: string;
  /** Accepted for compatibility with Tencent's options; Beckon has no TIM instance to share. */
  tim?: unknown;
}

/** What peers relay to each other besides negotiation: a 1:1 call changing type. */
interface SwitchMessage {
  kind: 'switch';
  to: 'audio' | 'video';
}

const LOCAL = 'local';
const remoteKey = (userID: string) => `remote:${userID}`;

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
  private readonly views = new Views();
  private readonly local = new LocalMedia();
  private signaling: Signaling | undefined;
  private userID: string | undefined;
  private call_: CurrentCall | undefined;
  private plane: MediaPlane | undefined;
  private status: CallStatus = 'idle';
  private profile: VideoProfile = '480p';
  /**
   * Signals that came while this user's invite was in flight: the server sends a call's first signals (a
   * busy callee's LINE_BUSY, the end) before the invite's result names the call.
   */
  private early: CallSignal[] | undefined;

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
    return this.status;
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
    const signaling = new Signaling(socketUrl(this.options.server), {
      signal: (signal) => this.onSignal(signal),
      reconnected: (resumed) => {
        if (!resumed) this.endLocally();
      },
      closed: (reason) => {
        this.endLocally();
        this.signaling = undefined;
        if (reason === 'gone') this.fail(TRTC_CALLING_ERROR.NO_NETWORK, 'lost the connection to the server');
      },
    });
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
    if (this.call_) await this.hangup().catch(() => {});
    this.reset();
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
    const call = this.call_;
    if (call?.joined) {
      const total = 1 + call.members.size + userIDList.length;
      if (total > MESH_MAX_USERS) throw this.fail(Errors.CALL_MESH_FULL.code, Errors.CALL_MESH_FULL.message);
      const receipt = await this.request('call.invite', {
        invite: { userIDList, type: call.callType, ...(groupID ? { groupID } : {}) },
      });
      call.outgoing.add(receipt.inviteID);
      return;
    }
    await this.start(userIDList, type, groupID, true);
  }

  /** Accepts the invitation ringing now (INVITED). */
  async accept(): Promise<void> {
    const call = this.call_;
    const incoming = call?.incoming;
    if (!call || !incoming)
      throw this.fail(Errors.SIGNALING_INVALID_INVITE_ID.code, 'no invitation to accept');
    if (1 + new Set([...incoming.userIDList, incoming.sponsor]).size > MESH_MAX_USERS)
      throw this.fail(Errors.CALL_MESH_FULL.code, Errors.CALL_MESH_FULL.message);
    await this.openMedia(call.callType);
    const receipt = await this.request('call.accept', { inviteID: incoming.inviteID }).catch((err) => {
      if (this.call_ === call) this.reset();
      throw err;
    });
    if (this.call_ !== call) return;
    call.incoming = undefined;
    call.joined = true;
    this.status = 'connected';
    for (const member of receipt.members) if (member !== this.userID) this.enter(call, member);
  }

  /** Rejects the invitation ringing now. */
  async reject(): Promise<void> {
    const call = this.call_;
    const incoming = call?.incoming;
    if (!call || !incoming)
      throw this.fail(Errors.SIGNALING_INVALID_INVITE_ID.code, 'no invitation to reject');
    this.reset();
    await this.request('call.reject', { inviteID: incoming.inviteID });
  }

  /** Ends this user's part: leaves the call (cancelling what it still rings), or rejects a ringing invitation. */
  async hangup(): Promise<void> {
    const call = this.call_;
    if (!call) return;
    if (!call.joined && call.incoming) return this.reject();
    this.reset();
    await this.request('call.hangup', { callId: call.callId }).catch((err) => {
      // Already over on the server (the other side left first): nothing to hang up.
      if (!(err instanceof CallingError && err.code === Errors.CALL_NOT_FOUND.code)) throw err;
    });
  }

  /** Renders a member's video in the DOM node with this id (a `<video>` the SDK creates). */
  startRemoteView({ userID, videoViewDomID }: { userID: string; videoViewDomID: string }): void {
    this.views.start(remoteKey(userID), videoViewDomID, this.plane?.remoteStream(userID), false);
  }

  stopRemoteView({ userID }: { userID: string; videoViewDomID?: string }): void {
    this.views.stop(remoteKey(userID));
  }

  /** Renders this user's camera in the DOM node with this id (muted). */
  startLocalView({ videoViewDomID }: { userID?: string; videoViewDomID: string }): void {
    this.views.start(LOCAL, videoViewDomID, this.local.stream, true);
  }

  stopLocalView(_options?: { userID?: string; videoViewDomID?: string }): void {
    this.views.stop(LOCAL);
  }

  /** Turns the camera on: the peers receive video again and hear USER_VIDEO_AVAILABLE true. */
  async openCamera(): Promise<void> {
    const track = await this.local.openCamera(this.profile).catch((err) => {
      throw this.reported(err);
    });
    await this.plane?.replaceTrack('video', track);
    this.showLocal();
    await this.tellMedia({ video: true });
  }

  /** Turns the camera off: the peers stop receiving video and hear USER_VIDEO_AVAILABLE false. */
  async closeCamera(): Promise<void> {
    this.local.closeCamera();
    await this.plane?.replaceTrack('video', null);
    await this.tellMedia({ video: false });
  }

  /** Mutes (true) or unmutes the microphone; the peers hear USER_AUDIO_AVAILABLE. */
  async setMicMute(isMute: boolean): Promise<void> {
    this.local.setMicMuted(isMute);
    await this.tellMedia({ audio: !isMute });
  }

  /** '240p' … '1080p' (default '480p'); applies to the camera opened by the next call, groupCall or accept. */
  setVideoQuality(profile: VideoProfile): void {
    if (!(profile in VIDEO_PROFILES))
      throw new TypeError(`setVideoQuality: one of ${Object.keys(VIDEO_PROFILES).join(', ')}`);
    this.profile = profile;
  }

  /** A 1:1 video call becomes an audio call on both sides (60001 when it cannot). */
  async switchToAudioCall(): Promise<void> {
    const call = this.call_;
    const peer = call?.onlyPeer;
    if (!call || !peer || call.callType !== CALL_TYPES.VIDEO)
      throw this.fail(TRTC_CALLING_ERROR.FAILURE_SWITCH_TO_AUDIO, 'switchToAudioCall needs a 1:1 video call');
    await this.closeCamera();
    call.callType = CALL_TYPES.AUDIO;
    await this.relay(call, peer, { kind: 'switch', to: 'audio' } satisfies SwitchMessage);
  }

  /** A 1:1 audio call becomes a video call on both sides (60002 when it cannot). */
  async switchToVideoCall(): Promise<void> {
    const call = this.call_;
    const peer = call?.onlyPeer;
    if (!call || !peer || call.callType !== CALL_TYPES.AUDIO)
      throw this.fail(TRTC_CALLING_ERROR.FAILURE_SWITCH_TO_VIDEO, 'switchToVideoCall needs a 1:1 audio call');
    try {
      await this.openCamera();
    } catch (err) {
      throw this.fail(
        TRTC_CALLING_ERROR.FAILURE_SWITCH_TO_VIDEO,
        `could not open the camera: ${String(err)}`,
      );
    }
    call.callType = CALL_TYPES.VIDEO;
    await this.relay(call, peer, { kind: 'switch', to: 'video' } satisfies SwitchMessage);
  }

  getCameras(): Promise<MediaDeviceInfo[]> {
    return listDevices('videoinput');
  }

  getMicrophones(): Promise<MediaDeviceInfo[]> {
    return listDevices('audioinput');
  }

  /** Swaps the camera (`'video'`) or microphone (`'audio'`) without ending the call. */
  async switchDevice({
    deviceType,
    deviceId,
    deviceID,
  }: {
    deviceType: 'video' | 'audio';
    deviceId?: string;
    deviceID?: string;
  }): Promise<void> {
    const id = deviceId ?? deviceID;
    if (!id || (deviceType !== 'video' && deviceType !== 'audio'))
      throw new TypeError("switchDevice({deviceType: 'video' | 'audio', deviceId})");
    const track = await this.local.switchDevice(deviceType, id, this.profile).catch((err) => {
      throw this.reported(err);
    });
    await this.plane?.replaceTrack(deviceType, track);
    if (deviceType === 'video') this.showLocal();
  }

  /** Beckon's own: the WebRTC statistics of the connection with a member (inbound-rtp `framesDecoded`…). */
  async getStats(userID: string): Promise<RTCStatsReport | undefined> {
    return this.plane?.stats(userID);
  }

  // ---------------------------------------------------------------------------------------------------

  private async start(userIDList: string[], type: CallType, groupID: string | undefined, group: boolean) {
    if (this.status !== 'idle')
      throw this.fail(Errors.CALL_IN_PROGRESS.code, Errors.CALL_IN_PROGRESS.message);
    if (!Array.isArray(userIDList) || userIDList.length === 0)
      throw this.fail(Errors.SIGNALING_INVALID_PARAMETERS.code, 'name at least one user to call');
    if (1 + userIDList.length > MESH_MAX_USERS)
      throw this.fail(Errors.CALL_MESH_FULL.code, Errors.CALL_MESH_FULL.message);
    this.status = 'calling';
    this.early = [];
    try {
      await this.openMedia(type);
      const receipt = await this.request('call.invite', {
        invite: { userIDList, type, ...(groupID ? { groupID } : {}) },
      });
      const call = new CurrentCall(receipt.callId, type, receipt.roomID, group || userIDList.length > 1);
      call.joined = true;
      call.outgoing.add(receipt.inviteID);
      this.call_ = call;
      this.plane = this.newPlane(call);
      this.replayEarly();
    } catch (err) {
      const early = this.early;
      this.reset();
      // No call of ours: an invitation that rang meanwhile rings now.
      this.early = early;
      this.replayEarly();
      throw err;
    }
  }

  /** The signals that came while an invite was in flight, now that the call has its id. */
  private replayEarly(): void {
    const early = this.early ?? [];
    this.early = undefined;
    for (const signal of early) this.onSignal(signal);
  }

  /** Opens the microphone, and the camera for a video call, before the call starts. */
  private async openMedia(type: CallType): Promise<void> {
    try {
      requireWebRTC();
      await this.local.open(type === CALL_TYPES.VIDEO, this.profile);
    } catch (err) {
      throw this.reported(err);
    }
    this.showLocal();
  }

  private showLocal(): void {
    if (this.local.stream) this.views.attach(LOCAL, this.local.stream);
  }

  private newPlane(call: CurrentCall): MediaPlane {
    const plane = new MeshPlane(this.userID ?? '', this.signaling?.session?.iceServers ?? [], {
      send: (to, data) => void this.relay(call, to, data).catch(() => {}),
      remoteStream: (userID, stream) => this.views.attach(remoteKey(userID), stream),
      failed: (userID, reason) => console.warn(`TRTCCalling: media with ${userID} failed: ${reason}`),
    });
    plane.start(this.local.stream ?? new MediaStream());
    return plane;
  }

  private enter(call: CurrentCall, userID: string): void {
    if (call.members.has(userID)) return;
    call.members.add(userID);
    this.plane ??= this.newPlane(call);
    this.plane.addPeer(userID);
  }

  private onSignal(signal: CallSignal): void {
    const call = this.call_;
    if (this.early && signal.event !== 'onKickedOut') {
      this.early.push(signal);
      return;
    }
    if (signal.event === 'onKickedOut') {
      this.reset();
    } else if (signal.event === 'onInvited') {
      if (call) return; // the server settles a second ring as busy; a stale one is dropped
      const { callId, inviteID, sponsor, userIDList, isFromGroup, groupID, inviteData } = signal;
      const group = isFromGroup || userIDList.length > 1;
      this.call_ = new CurrentCall(callId, inviteData.callType, inviteData.roomID, group);
      this.call_.incoming = { inviteID, sponsor, userIDList, isFromGroup, groupID, inviteData };
      this.status = 'calling';
    } else if (!call || signal.callId !== call.callId) {
      return; // a stale call's signal
    } else if (!this.apply(call, signal)) {
      return;
    }
    const out = eventOf(signal);
    if (out) this.emitter.emit(out.event, out.payload);
  }

  /** What a signal of the current call changes here; false when it is not for this client to hear. */
  private apply(call: CurrentCall, signal: Exclude<CallSignal, { event: 'onKickedOut' | 'onInvited' }>) {
    switch (signal.event) {
      case 'onUserAccept':
        this.status = 'connected';
        return true;
      case 'onUserEnter':
        this.status = 'connected';
        this.enter(call, signal.userID);
        return true;
      case 'onUserLeave':
        call.members.delete(signal.userID);
        this.plane?.removePeer(signal.userID);
        this.views.stop(remoteKey(signal.userID));
        return true;
      case 'onCallingTimeout':
        if (call.incoming?.inviteID === signal.inviteID) this.reset();
        return true;
      case 'onCallingCancel':
        if (call.incoming?.inviteID !== signal.inviteID) return false;
        this.reset();
        return true;
      case 'onCallEnd':
        this.reset();
        return true;
      case 'onRelay':
        this.relayed(call, signal.userID, signal.data);
        return false;
      default:
        return true;
    }
  }

  /** A peer's message: its side of a type switch, or media negotiation. */
  private relayed(call: CurrentCall, from: string, data: unknown): void {
    const message = data as Partial<SwitchMessage> | null;
    if (message?.kind !== 'switch') {
      this.plane?.receive(from, data);
      return;
    }
    if (message.to === 'audio' && call.callType === CALL_TYPES.VIDEO) {
      call.callType = CALL_TYPES.AUDIO;
      void this.closeCamera().catch(() => {});
    } else if (message.to === 'video' && call.callType === CALL_TYPES.AUDIO) {
      call.callType = CALL_TYPES.VIDEO;
      void this.openCamera().catch(() => {});
    }
  }

  /** The session is gone without a word from the server (a failed resume): the call ends here. */
  private endLocally(): void {
    if (!this.call_) return;
    this.reset();
    this.emitter.emit(TRTC_CALLING_EVENT.CALL_END, { userID: this.userID, callEnd: 0 });
  }

  private reset(): void {
    this.early = undefined;
    this.plane?.stop();
    this.plane = undefined;
    for (const key of this.call_?.members ?? []) this.views.stop(remoteKey(key));
    this.call_ = undefined;
    this.status = 'idle';
    this.local.close();
  }

  private async tellMedia(state: { video?: boolean; audio?: boolean }): Promise<void> {
    const call = this.call_;
    if (call?.joined) await this.request('call.media', { callId: call.callId, ...state }).catch(() => {});
  }

  private relay(call: CurrentCall, toUserID: string, data: unknown): Promise<null> {
    return this.request('call.relay', { callId: call.callId, toUserID, data });
  }

  private request: Signaling['request'] = (type, fields) => {
    if (!this.signaling)
      return Promise.reject(this.fail(TRTC_CALLING_ERROR.USER_NOT_LOGGED_IN, 'log in first'));
    return this.signaling.request(type, fields);
  };

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
