/**
 * startLocalView / startRemoteView: a `<video>` the SDK creates inside the page's DOM node (by id), plays a
 * stream in, and removes again. A view asked for before its stream exists shows it when it arrives.
 */
export class Views {
  private readonly views = new Map<string, { node: string; video: HTMLVideoElement }>();

  /** Renders `stream` (or, later, `attach`'s) for `key` in the element with id `nodeId`. */
  start(key: string, nodeId: string, stream: MediaStream | undefined, muted: boolean): void {
    const node = document.getElementById(nodeId);
    if (!node) throw new TypeError(`no element with id ${JSON.stringify(nodeId)} to render the video in`);
    this.stop(key);
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = muted;
    video.dataset.beckonView = key;
    video.style.width = '100%';
    video.style.height = '100%';
    video.style.objectFit = 'cover';
    node.appendChild(video);
    this.views.set(key, { node: nodeId, video });
    if (stream) this.attach(key, stream);
  }

  /** A view's stream arrived or changed. */
  attach(key: string, stream: MediaStream): void {
    const view = this.views.get(key);
    if (!view) return;
    if (view.video.srcObject !== stream) view.video.srcObject = stream;
    view.video.play().catch(() => {
      // Autoplay policy: a muted video always plays; an unmuted one waits for the page's first gesture.
    });
  }

  stop(key: string): void {
    const view = this.views.get(key);
    if (!view) return;
    view.video.srcObject = null;
    view.video.remove();
    this.views.delete(key);
  }

  stopAll(): void {
    for (const key of [...this.views.keys()]) this.stop(key);
  }
}
