import type { VideoProfile } from '@beckon/protocol/calls';
import { capture } from './devices.js';

/**
 * This user's microphone and camera: one stream whose tracks the call sends. Tracks are stopped when the
 * camera closes or the call ends, so the browser's capture indicator goes off.
 */
export class LocalMedia {
  /** Made on first capture: constructing one needs WebRTC, which the SDK checks first (60006). */
  private current: MediaStream | undefined;
  private muted = false;

  get micMuted(): boolean {
    return this.muted;
  }

  get cameraOn(): boolean {
    return this.track('video') !== undefined;
  }

  /** What this user sends; undefined until something was captured. */
  get stream(): MediaStream | undefined {
    return this.current;
  }

  private get tracks(): MediaStream {
    this.current ??= new MediaStream();
    return this.current;
  }

  /** Opens the microphone and, for a video call, the camera (kept when already open). */
  async open(video: boolean, profile: VideoProfile, cameraId?: string): Promise<void> {
    const audio = !this.track('audio');
    const camera = video && !this.track('video');
    if (!audio && !camera) return;
    const got = await capture({
      audio,
      video: camera && (cameraId ? { deviceId: cameraId } : true),
      profile,
    });
    for (const track of got.getTracks()) this.tracks.addTrack(track);
    this.applyMute();
  }

  /** Opens the camera (or returns the open one). */
  async openCamera(profile: VideoProfile, cameraId?: string): Promise<MediaStreamTrack> {
    const open = this.track('video');
    if (open) return open;
    const got = await capture({ audio: false, video: cameraId ? { deviceId: cameraId } : true, profile });
    const track = got.getVideoTracks()[0]!;
    this.tracks.addTrack(track);
    return track;
  }

  closeCamera(): void {
    this.drop('video');
  }

  setMicMuted(muted: boolean): void {
    this.muted = muted;
    this.applyMute();
  }

  /** Replaces the track of one kind with one from the named device; returns the new track. */
  async switchDevice(
    kind: 'audio' | 'video',
    deviceId: string,
    profile: VideoProfile,
  ): Promise<MediaStreamTrack> {
    const got = await capture({
      audio: kind === 'audio' ? { deviceId } : false,
      video: kind === 'video' ? { deviceId } : false,
      profile,
    });
    const track = got.getTracks()[0]!;
    this.drop(kind);
    this.tracks.addTrack(track);
    this.applyMute();
    return track;
  }

  /** Stops every track (the call ended). */
  close(): void {
    for (const track of this.current?.getTracks() ?? []) track.stop();
    this.current = undefined;
    this.muted = false;
  }

  private track(kind: 'audio' | 'video'): MediaStreamTrack | undefined {
    return this.current?.getTracks().find((t) => t.kind === kind);
  }

  private drop(kind: 'audio' | 'video'): void {
    for (const track of this.current?.getTracks() ?? [])
      if (track.kind === kind) {
        track.stop();
        this.current?.removeTrack(track);
      }
  }

  private applyMute(): void {
    for (const track of this.current?.getAudioTracks() ?? []) track.enabled = !this.muted;
  }
}
