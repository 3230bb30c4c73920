/**
 * startLocalView / startRemoteView: a `<video>` the SDK creates inside the page's DOM node (by id), plays a
 * stream in, and removes again. A view asked for before its stream exists shows it when it arrives. A
 * member's sound plays even without a view (an audio call has none): through a detached `<audio>` until a
 * view's `<video>` takes it over.
 */
export class Views {
  private readonly views = new Map<string, HTMLVideoElement>();
  private readonly sounds = new Map<string, HTMLAudioElement>();
  private readonly streams = new Map<string, MediaStream>();

  /** Renders `stream` (or, later, `attach`'s) for `key` in the element with id `nodeId`. */
  start(key: string, nodeId: string, stream: MediaStream | undefined, muted: boolean): void {
    const node = document.getElementById(nodeId);
    if (!node) throw new TypeError(`no element with id ${JSON.stringify(nodeId)} to render the video in`);
    this.removeView(key);
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = muted;
    video.dataset.beckonView = key;
    video.style.width = '100%';
    video.style.height = '100%';
    video.style.objectFit = 'cover';
    node.appendChild(video);
    this.views.set(key, video);
    if (!muted) this.silence(key);
    const known = stream ?? this.streams.get(key);
    if (known) this.attach(key, known, !muted);
  }

  /** A stream arrived or changed: shown in its view, or (`audible`, a member's) heard without one. */
  attach(key: string, stream: MediaStream, audible = false): void {
    this.streams.set(key, stream);
    const video = this.views.get(key);
    if (video) {
      if (video.srcObject !== stream) video.srcObject = stream;
      play(video);
      return;
    }
    if (!audible) return;
    let sound = this.sounds.get(key);
    if (!sound) {
      // In the page (hidden), so it is the page's to inspect, as the views are.
      sound = document.createElement('audio');
      sound.autoplay = true;
      sound.hidden = true;
      sound.dataset.beckonSound = key;
      document.body.appendChild(sound);
      this.sounds.set(key, sound);
    }
    if (sound.srcObject !== stream) sound.srcObject = stream;
    play(sound);
  }

  /** stopRemoteView / stopLocalView: the view goes; a member's sound goes on without it. */
  stop(key: string, audible = false): void {
    this.removeView(key);
    const stream = this.streams.get(key);
    if (audible && stream) this.attach(key, stream, true);
  }

  /** The member (or the call) is gone: view, sound and stream. */
  forget(key: string): void {
    this.removeView(key);
    this.silence(key);
    this.streams.delete(key);
  }

  private removeView(key: string): void {
    detach(this.views, key);
  }

  private silence(key: string): void {
    detach(this.sounds, key);
  }
}

/** Stops and removes the element a member has in `elements`, if any. */
function detach(elements: Map<string, HTMLMediaElement>, key: string): void {
  const media = elements.get(key);
  if (!media) return;
  media.srcObject = null;
  media.remove();
  elements.delete(key);
}

function play(media: HTMLMediaElement): void {
  media.play().catch(() => {
    // Autoplay policy: muted media always plays; audible media waits for the page's first gesture.
  });
}
