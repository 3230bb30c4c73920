// Page-side helpers of calls-edges.browser.test.ts, loaded after phone.js: start a method without awaiting it,
// slow getUserMedia down as a permission prompt does, act right after a frame went out, and peek at the
// SDK's socket.
window.edges = {
  /** Outcomes of methods started with `start`: 'ok' or the rejection's code. */
  outcomes: {},
  /** Every track getUserMedia handed out since `slowMedia`. */
  tracks: [],

  /** Starts `calling[method](...args)` and records how it ends under `key`; returns at once. */
  start(key, method, ...args) {
    this.outcomes[key] = 'pending';
    Promise.resolve()
      .then(() => window.phone.calling[method](...args))
      .then(
        () => {
          this.outcomes[key] = 'ok';
        },
        (err) => {
          this.outcomes[key] = err?.code ?? String(err);
        },
      );
  },

  /** getUserMedia answers only after `ms` (a user reading the permission prompt); its tracks are recorded. */
  slowMedia(ms) {
    const devices = navigator.mediaDevices;
    const original = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      await new Promise((r) => setTimeout(r, ms));
      const stream = await original(constraints);
      this.tracks.push(...stream.getTracks());
      return stream;
    };
  },

  /** How many of the recorded tracks still capture (camera or microphone on). */
  liveTracks() {
    return this.tracks.filter((t) => t.readyState === 'live').length;
  },

  /** Right after the SDK sends a request of this type, runs `calling[method]()` (its outcome under `key`). */
  afterSending(type, key, method) {
    const send = WebSocket.prototype.send;
    const edges = this;
    WebSocket.prototype.send = function (data) {
      send.call(this, data);
      if (JSON.parse(String(data)).type === type) {
        WebSocket.prototype.send = send;
        edges.start(key, method);
      }
    };
  },

  /** Whether the SDK's socket is down (between a drop and its reconnect). */
  socketDown() {
    const ws = window.phone.calling.signaling?.ws;
    return !ws || ws.readyState !== WebSocket.OPEN;
  },

  /** Whether the SDK's last login was a resume of its session. */
  resumed() {
    return window.phone.calling.signaling?.session?.resumed === true;
  },
};
