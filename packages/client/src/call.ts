import type { CallSignal, CallType } from '@beckon/protocol/calls';

/** TRTCCalling's call states (spec §1.4). */
export type CallStatus = 'idle' | 'calling' | 'connected';

/** An invitation ringing for this user, as INVITED told it. */
export type Incoming = Pick<
  Extract<CallSignal, { event: 'onInvited' }>,
  'inviteID' | 'sponsor' | 'userIDList'
>;

/** The call this client is in (or being rung into): at most one at a time, as in TRTCCalling. */
export class CurrentCall {
  /** Set once this user joined (the caller at invite, an invitee at accept). */
  joined = false;
  /** Other members in the call, as USER_ENTER / USER_LEAVE told them. */
  readonly members = new Set<string>();
  /** Invitees still being rung (the mesh's size counts them). */
  readonly ringing = new Set<string>();
  /**
   * Invitations ringing for this user in this call, the one INVITED announced first. Two members may
   * each invite them into it: one answer answers (or refuses) all of them.
   */
  readonly incoming: Incoming[] = [];

  constructor(
    readonly callId: string,
    public callType: CallType,
    readonly isGroup: boolean,
  ) {}

  /** 1:1: the other member (switchToAudioCall / switchToVideoCall work only then). */
  get onlyPeer(): string | undefined {
    return !this.isGroup && this.members.size === 1 ? [...this.members][0] : undefined;
  }

  /** People in the call or being rung into it, this user included, with `more` invited. */
  sizeWith(more: string[]): number {
    return 1 + new Set([...this.members, ...this.ringing, ...more]).size;
  }
}
