import { CALL_TYPES, type CallSignal, type IceServer, TRTC_CALLING_EVENT } from '@beckon/protocol/calls';
import { type CallStatus, CurrentCall } from './call.js';
import { MeshPlane } from './media/mesh.js';
import type { MediaPlane } from './media/plane.js';
import { type MediaControls, remoteKey } from './media-controls.js';
import { eventOf } from './signal-events.js';

/** What peers relay to each other besides negotiation: a 1:1 call changing type. */
export interface SwitchMessage {
  kind: 'switch';
  to: 'audio' | 'video';
}

type RingingSignal = Extract<CallSignal, { event: 'onInvited' }>;

/** What the call's state needs from the component around it. */
export interface CallStateHost {
  media: MediaControls;
  userID(): string | undefined;
  iceServers(): IceServer[];
  emit(event: string, payload: object): void;
  relay(call: CurrentCall, toUserID: string, data: unknown): Promise<unknown>;
}

/**
 * The call this client is in, as the server's signals move it (spec §1.4): which call, who is in it and
 * still rung, its media plane, and what each signal changes before it is emitted as TRTCCalling's event.
 */
export class CallState {
  call: CurrentCall | undefined;
  plane: MediaPlane | undefined;
  status: CallStatus = 'idle';
  /**
   * While this user's invite is in flight: the signals that came meanwhile (the server sends a call's first
   * signals, a busy callee's LINE_BUSY, the end, before the invite's result names the call), and whether a
   * hangup asked to end the call once it has its id.
   */
  starting: { early: CallSignal[]; hungUp: boolean } | undefined;

  constructor(private readonly host: CallStateHost) {}

  newPlane(call: CurrentCall): MediaPlane {
    const plane = new MeshPlane(this.host.userID() ?? '', this.host.iceServers(), {
      send: (to, data) => void this.host.relay(call, to, data).catch(() => {}),
      remoteStream: (userID, stream) => this.host.media.views.attach(remoteKey(userID), stream, true),
      failed: (userID, reason) => console.warn(`TRTCCalling: media with ${userID} failed: ${reason}`),
    });
    plane.start(this.host.media.local.stream ?? new MediaStream());
    return plane;
  }

  enter(call: CurrentCall, userID: string): void {
    call.ringing.delete(userID);
    if (call.members.has(userID)) return;
    call.members.add(userID);
    this.plane ??= this.newPlane(call);
    this.plane.addPeer(userID);
  }

  onSignal(signal: CallSignal): void {
    if (this.starting && signal.event !== 'onKickedOut') {
      this.starting.early.push(signal);
      return;
    }
    const call = this.call;
    if (signal.event === 'onKickedOut') {
      this.reset();
    } else if (signal.event === 'onInvited') {
      if (!this.ring(signal)) return;
    } else if (!call || signal.callId !== call.callId) {
      return; // a stale call's signal
    } else if (!this.apply(call, signal)) {
      return;
    }
    const out = eventOf(signal);
    if (out) this.host.emit(out.event, out.payload);
  }

  /** An invitation: rings when idle; a second one into the call already ringing joins it silently. */
  private ring(signal: RingingSignal): boolean {
    const { callId, inviteID, sponsor, userIDList, isFromGroup, inviteData } = signal;
    const incoming = { inviteID, sponsor, userIDList };
    const call = this.call;
    if (call) {
      // The server settles a ring into another call as busy; one into this call waits with the first.
      if (call.callId === callId && !call.joined) call.incoming.push(incoming);
      return false;
    }
    const group = isFromGroup || userIDList.length > 1;
    this.call = new CurrentCall(callId, inviteData.callType, group);
    this.call.incoming.push(incoming);
    for (const u of userIDList) if (u !== this.host.userID()) this.call.ringing.add(u);
    this.status = 'calling';
    return true;
  }

  /** What a signal of the current call changes here; false when it is not for this client to hear. */
  private apply(call: CurrentCall, signal: Exclude<CallSignal, { event: 'onKickedOut' | 'onInvited' }>) {
    switch (signal.event) {
      case 'onUserAccept':
        call.ringing.delete(signal.userID);
        if (call.joined) this.status = 'connected';
        return true;
      case 'onUserEnter':
        if (call.joined) this.status = 'connected';
        this.enter(call, signal.userID);
        return true;
      case 'onUserLeave':
        call.members.delete(signal.userID);
        this.plane?.removePeer(signal.userID);
        this.host.media.views.forget(remoteKey(signal.userID));
        return true;
      case 'onReject':
      case 'onLineBusy':
        call.ringing.delete(signal.userID);
        return true;
      case 'onNoResp':
        for (const u of signal.userIDList) call.ringing.delete(u);
        return true;
      case 'onCallingTimeout':
        for (const u of signal.userIDList) call.ringing.delete(u);
        return this.stopRinging(call, signal.inviteID, true);
      case 'onCallingCancel':
        return this.stopRinging(call, signal.inviteID, false);
      case 'onGroupCallInviteeListUpdate':
        call.ringing.clear();
        for (const u of signal.userIDList) if (u !== this.host.userID()) call.ringing.add(u);
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

  /**
   * One of this user's ringing invitations stopped (cancelled, timed out): the call stops ringing here once
   * none is left. The inviter's own timeout signals pass through.
   */
  private stopRinging(call: CurrentCall, inviteID: string | undefined, inviterHears: boolean): boolean {
    const i = call.incoming.findIndex((x) => x.inviteID === inviteID);
    if (i < 0) return inviterHears || call.joined;
    call.incoming.splice(i, 1);
    if (call.incoming.length > 0) return false;
    this.reset();
    return true;
  }

  /** A peer's message: its side of a type switch, or media negotiation. */
  private relayed(call: CurrentCall, from: string, data: unknown): void {
    const message = data as Partial<SwitchMessage> | null;
    if (message?.kind !== 'switch') {
      this.plane?.receive(from, data);
      return;
    }
    const to = message.to === 'audio' ? CALL_TYPES.AUDIO : CALL_TYPES.VIDEO;
    if (call.callType === to) return;
    call.callType = to;
    const follow = to === CALL_TYPES.AUDIO ? this.host.media.closeCamera() : this.host.media.openCamera();
    void follow.catch(() => {});
  }

  /** The session is gone without a word from the server (a failed resume): the call ends here. */
  endLocally(): void {
    if (!this.call) return;
    this.reset();
    this.host.emit(TRTC_CALLING_EVENT.CALL_END, { userID: this.host.userID(), callEnd: 0 });
  }

  reset(): void {
    this.plane?.stop();
    this.plane = undefined;
    for (const key of this.call?.members ?? []) this.host.media.views.forget(remoteKey(key));
    this.call = undefined;
    this.status = 'idle';
    this.host.media.close();
  }
}
