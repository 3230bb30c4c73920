import { TRTC_CALLING_ERROR, VIDEO_PROFILES, type VideoProfile } from '@beckon/protocol/calls';
import { CallingError } from './errors.js';

/** Whether this browser can make calls at all (60006 otherwise). */
export function supportsWebRTC(): boolean {
  return (
    typeof globalThis.RTCPeerConnection === 'function' &&
    typeof globalThis.navigator?.mediaDevices?.getUserMedia === 'function'
  );
}

export function requireWebRTC(): void {
  if (!supportsWebRTC())
    throw new CallingError(TRTC_CALLING_ERROR.NOT_SUPPORT, 'this browser does not support WebRTC');
}

export interface CaptureRequest {
  audio: boolean | { deviceId: string };
  video: boolean | { deviceId: string };
  profile: VideoProfile;
}

/**
 * Opens the microphone (and camera) with the profile's resolution. getUserMedia's failures become
 * TRTCCalling's codes: 60005 when the user (or policy) denied access, 60004 no camera, 60003 no microphone.
 */
export async function capture(request: CaptureRequest): Promise<MediaStream> {
  requireWebRTC();
  const size = VIDEO_PROFILES[request.profile];
  const constraint = (c: boolean | { deviceId: string }, extra: MediaTrackConstraints = {}) =>
    c === false ? false : { ...extra, ...(typeof c === 'object' ? { deviceId: { exact: c.deviceId } } : {}) };
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: constraint(request.audio),
      video: constraint(request.video, { width: { ideal: size.width }, height: { ideal: size.height } }),
    });
  } catch (err) {
    throw mediaError(err, request.video !== false);
  }
}

function mediaError(err: unknown, wantedVideo: boolean): CallingError {
  const name = (err as { name?: string } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return new CallingError(
      TRTC_CALLING_ERROR.NOT_MEDIA_ACCESS,
      'access to the camera or microphone was denied',
    );
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError') {
    return wantedVideo
      ? new CallingError(TRTC_CALLING_ERROR.NOT_CAMERA_LIST, 'no camera available')
      : new CallingError(TRTC_CALLING_ERROR.NOT_MICROPHONE_LIST, 'no microphone available');
  }
  return new CallingError(TRTC_CALLING_ERROR.UNKNOWN, `could not open media devices: ${String(err)}`);
}

/** `getCameras()` / `getMicrophones()`: the devices of one kind (labels once access was granted). */
export async function listDevices(kind: 'videoinput' | 'audioinput'): Promise<MediaDeviceInfo[]> {
  requireWebRTC();
  const all = await navigator.mediaDevices.enumerateDevices();
  return all.filter((d) => d.kind === kind);
}
