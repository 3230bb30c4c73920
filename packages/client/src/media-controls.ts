import { CALL_TYPES, type CallType, VIDEO_PROFILES, type VideoProfile } from '@beckon/protocol/calls';
import { Errors } from '@beckon/protocol/errors';
import { listDevices } from './devices.js';
import { CallingError } from './errors.js';
import { LocalMedia } from './local-media.js';
import type { MediaPlane } from './media/plane.js';
import { Views } from './views.js';

const LOCAL = 'local';
export const remoteKey = (userID: string) => `remote:${userID}`;

/** What the controls need of the call around them. */
export interface MediaHost {
  plane(): MediaPlane | undefined;
  /** Tells the other members (call.media) when in a call. */
  tellMedia(state: { video?: boolean; audio?: boolean }): Promise<void>;
  /** Reports an error as ERROR and returns it to throw. */
  reported(err: unknown): CallingError;
}

export const invalidArgument = (message: string) =>
  new CallingError(Errors.SIGNALING_INVALID_PARAMETERS.code, message);

/**
 * This user's camera and microphone and the views the SDK renders: TRTCCalling's video APIs. Media is sent
 * through the call's media plane, whose tracks are swapped without renegotiating.
 */
export class MediaControls {
  readonly local = new LocalMedia();
  readonly views = new Views();
  private profile: VideoProfile = '480p';
  /** The camera the next capture uses (switchDevice while the camera is off only remembers it). */
  private cameraId: string | undefined;

  constructor(private readonly host: MediaHost) {}

  /** Opens the microphone, and the camera for a video call, before a call starts or is accepted. */
  async open(type: CallType): Promise<void> {
    try {
      // capture() refuses a browser without WebRTC (60006) first.
      await this.local.open(type === CALL_TYPES.VIDEO, this.profile, this.cameraId);
    } catch (err) {
      throw this.host.reported(err);
    }
    this.showLocal();
  }

  /** What this user sends now, for the other members when a call starts. */
  state(): { video: boolean; audio: boolean } {
    return { video: this.local.cameraOn, audio: !this.local.micMuted };
  }

  async openCamera(): Promise<void> {
    const track = await this.local.openCamera(this.profile, this.cameraId).catch((err) => {
      throw this.host.reported(err);
    });
    await this.host.plane()?.replaceTrack('video', track);
    this.showLocal();
    await this.host.tellMedia({ video: true });
  }

  async closeCamera(): Promise<void> {
    this.local.closeCamera();
    await this.host.plane()?.replaceTrack('video', null);
    await this.host.tellMedia({ video: false });
  }

  async setMicMute(isMute: boolean): Promise<void> {
    this.local.setMicMuted(isMute === true);
    await this.host.tellMedia({ audio: isMute !== true });
  }

  setVideoQuality(profile: VideoProfile): void {
    if (!Object.hasOwn(VIDEO_PROFILES, profile))
      throw this.host.reported(
        invalidArgument(`setVideoQuality: one of ${Object.keys(VIDEO_PROFILES).join(', ')}`),
      );
    this.profile = profile;
  }

  getCameras(): Promise<MediaDeviceInfo[]> {
    return listDevices('videoinput').catch((err) => {
      throw this.host.reported(err);
    });
  }

  getMicrophones(): Promise<MediaDeviceInfo[]> {
    return listDevices('audioinput').catch((err) => {
      throw this.host.reported(err);
    });
  }

  /** Swaps the camera or microphone without ending the call; a closed camera stays closed. */
  async switchDevice(deviceType: unknown, deviceId: unknown): Promise<void> {
    if (typeof deviceId !== 'string' || !deviceId || (deviceType !== 'video' && deviceType !== 'audio'))
      throw this.host.reported(invalidArgument("switchDevice({deviceType: 'video' | 'audio', deviceId})"));
    if (deviceType === 'video') {
      this.cameraId = deviceId;
      if (!this.local.cameraOn) return;
    }
    const track = await this.local.switchDevice(deviceType, deviceId, this.profile).catch((err) => {
      throw this.host.reported(err);
    });
    await this.host.plane()?.replaceTrack(deviceType, track);
    if (deviceType === 'video') this.showLocal();
  }

  startLocalView(videoViewDomID: unknown): void {
    this.views.start(LOCAL, this.nodeId(videoViewDomID), this.local.stream, true);
  }

  stopLocalView(): void {
    this.views.stop(LOCAL);
  }

  startRemoteView(userID: string, videoViewDomID: unknown): void {
    this.views.start(
      remoteKey(userID),
      this.nodeId(videoViewDomID),
      this.host.plane()?.remoteStream(userID),
      false,
    );
  }

  stopRemoteView(userID: string): void {
    this.views.stop(remoteKey(userID), true);
  }

  /** The call is over: tracks stopped, the local view emptied (it stays where the page put it). */
  close(): void {
    this.local.close();
  }

  private showLocal(): void {
    if (this.local.stream) this.views.attach(LOCAL, this.local.stream);
  }

  private nodeId(id: unknown): string {
    if (typeof id !== 'string' || !id || typeof document === 'undefined' || !document.getElementById(id))
      throw this.host.reported(
        invalidArgument(`no element with id ${JSON.stringify(id)} to render the video in`),
      );
    return id;
  }
}
