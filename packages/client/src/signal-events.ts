import { type CallSignal, TRTC_CALLING_EVENT as E } from '@beckon/protocol/calls';

/**
 * The TRTCCalling event (name and payload, spec §1.5) a server signal becomes. Payloads are Tencent's web
 * 1.0.6 shapes, with Beckon's extra fields beside them (a CALLING_CANCEL's inviteID and reason…).
 */
export function eventOf(signal: CallSignal): { event: string; payload: object } | undefined {
  switch (signal.event) {
    case 'onInvited': {
      const { sponsor, userIDList, isFromGroup, inviteID, inviteData } = signal;
      return { event: E.INVITED, payload: { sponsor, userIDList, isFromGroup, inviteID, inviteData } };
    }
    case 'onUserAccept':
      return { event: E.USER_ACCEPT, payload: { userID: signal.userID } };
    case 'onUserEnter':
      return { event: E.USER_ENTER, payload: { userID: signal.userID } };
    case 'onUserLeave':
      return { event: E.USER_LEAVE, payload: { userID: signal.userID } };
    case 'onReject':
      return { event: E.REJECT, payload: { userID: signal.userID } };
    case 'onLineBusy':
      return { event: E.LINE_BUSY, payload: { sponsor: signal.sponsor, userID: signal.userID } };
    case 'onNoResp': {
      const { sponsor, userID, userIDList } = signal;
      return { event: E.NO_RESP, payload: { sponsor, userID, userIDList } };
    }
    case 'onCallingTimeout':
      return {
        event: E.CALLING_TIMEOUT,
        payload: { sponsor: signal.sponsor, userIDList: signal.userIDList },
      };
    case 'onCallingCancel':
      return { event: E.CALLING_CANCEL, payload: { inviteID: signal.inviteID, reason: signal.reason } };
    case 'onCallEnd':
      return { event: E.CALL_END, payload: { userID: signal.userID, callEnd: signal.callEnd } };
    case 'onKickedOut':
      return { event: E.KICKED_OUT, payload: { reason: signal.reason } };
    case 'onUserVideoAvailable': {
      const { userID, isVideoAvailable } = signal;
      return { event: E.USER_VIDEO_AVAILABLE, payload: { userID, isVideoAvailable } };
    }
    case 'onUserAudioAvailable': {
      const { userID, isAudioAvailable } = signal;
      return { event: E.USER_AUDIO_AVAILABLE, payload: { userID, isAudioAvailable } };
    }
    case 'onGroupCallInviteeListUpdate':
      return { event: E.GROUP_CALL_INVITEE_LIST_UPDATE, payload: { userIDList: signal.userIDList } };
    case 'onRelay':
      return undefined;
  }
}
