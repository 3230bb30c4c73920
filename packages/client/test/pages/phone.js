// The test phone: one TRTCCalling on the page, every event it emits recorded, and the helpers the tests
// call through page.evaluate. Remote views go in a div per user inside #remotes.
window.phone = {
  events: [],
  calling: null,

  async login(sdkAppId, userID, userSig, server) {
    const c = new TRTCCalling(server ? { SDKAppID: sdkAppId, server } : { SDKAppID: sdkAppId });
    this.calling = c;
    for (const name of new Set(Object.values(TRTCCalling.EVENT)))
      c.on(name, (payload) => this.events.push({ name, payload, at: performance.now() }));
    // A page that shows whoever enters (tests of audio without a view turn it off).
    c.on(TRTCCalling.EVENT.USER_ENTER, ({ userID }) => this.autoView !== false && this.showRemote(userID));
    await c.login({ userID, userSig });
  },

  showRemote(userID) {
    let node = document.getElementById(`remote-${userID}`);
    if (!node) {
      node = document.createElement('div');
      node.id = `remote-${userID}`;
      document.getElementById('remotes').appendChild(node);
    }
    this.calling.startRemoteView({ userID, videoViewDomID: node.id });
  },

  /** Video frames decoded from a member so far (inbound-rtp), or -1 without a connection. */
  async framesDecoded(userID) {
    const report = await this.calling.getStats(userID);
    if (!report) return -1;
    let frames = 0;
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') frames = s.framesDecoded ?? 0;
    });
    return frames;
  },

  /** Whether a member's sound plays without a view: the SDK's hidden <audio>, playing a live audio track. */
  soundPlaying(userID) {
    const sound = document.querySelector(`audio[data-beckon-sound="remote:${userID}"]`);
    const track = sound?.srcObject?.getAudioTracks()[0];
    return Boolean(sound && !sound.paused && track?.readyState === 'live');
  },

  /** The size of the remote view's picture (0×0 until a frame was shown). */
  remoteVideoSize(userID) {
    const video = document.querySelector(`#remote-${userID} video`);
    return video ? [video.videoWidth, video.videoHeight] : null;
  },
};
