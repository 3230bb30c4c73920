// One side of a plain RTCPeerConnection video call (no SDK), signalled over a BroadcastChannel between two
// pages of one origin and one browser context. The infrastructure test (webrtc-loopback.browser.test.ts)
// and the call-setup bench (bench/call-setup.bench.js) drive it from Node: rawPeer.join(), then
// rawPeer.call() on the caller.

(() => {
  let camera;
  let pc;
  let channel;
  let video;

  /** Only loopback candidates cross: outside a loopback-only namespace (the bench), media still stays on lo. */
  const onLoopback = (candidate) => / (127\.0\.0\.1|::1) /.test(candidate.candidate);

  /** Shows `stream` in a <video>, as a call page does. */
  function show(stream) {
    video?.remove();
    video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    video.srcObject = stream;
    document.body.append(video);
  }

  async function framesDecoded() {
    const stats = await pc.getStats();
    let frames = 0;
    for (const s of stats.values())
      if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded;
    return frames;
  }

  /**
   * When the first remote video frame is decoded, as performance.now(), polling getStats every 10 ms. Not
   * requestVideoFrameCallback: a page that is not the front tab paints about once a second.
   */
  async function firstDecodedFrame() {
    while ((await framesDecoded()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    return performance.now();
  }

  /** Handles the peer's messages one at a time: a candidate must wait for the description before it. */
  function listen(role, remoteStream) {
    let queue = Promise.resolve();
    channel.onmessage = ({ data }) => {
      if (data.to !== role) return;
      queue = queue.then(async () => {
        if (data.description) {
          await pc.setRemoteDescription(data.description);
          if (data.description.type === 'offer') {
            await pc.setLocalDescription(await pc.createAnswer());
            channel.postMessage({ to: 'caller', description: pc.localDescription.toJSON() });
          }
        } else if (data.candidate) {
          await pc.addIceCandidate(data.candidate);
        }
      });
    };
    pc.ontrack = ({ track }) => remoteStream.addTrack(track);
  }

  window.rawPeer = {
    /** A fresh peer connection for `role` ('caller' or 'callee') in `room`, sending the fake camera. */
    async join(role, room) {
      camera ??= await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      pc?.close();
      channel?.close();
      pc = new RTCPeerConnection({ iceServers: [] });
      channel = new BroadcastChannel(`raw-peer:${room}`);
      const peer = role === 'caller' ? 'callee' : 'caller';
      pc.onicecandidate = ({ candidate }) => {
        if (candidate && onLoopback(candidate))
          channel.postMessage({ to: peer, candidate: candidate.toJSON() });
      };
      for (const track of camera.getTracks()) pc.addTrack(track, camera);
      const remote = new MediaStream();
      listen(role, remote);
      show(remote);
    },

    /** The caller's offer; resolves to the ms from starting it to the first decoded frame of the callee. */
    async call() {
      const start = performance.now();
      await pc.setLocalDescription(await pc.createOffer());
      channel.postMessage({ to: 'callee', description: pc.localDescription.toJSON() });
      return (await firstDecodedFrame()) - start;
    },

    /** Frames decoded so far of the remote video (0 before any). */
    framesDecoded,

    /** The local and remote addresses of the candidate pair carrying the media. */
    async selectedPair() {
      const stats = await pc.getStats();
      const transport = [...stats.values()].find((s) => s.type === 'transport');
      const pair = stats.get(transport?.selectedCandidatePairId);
      return {
        local: stats.get(pair?.localCandidateId)?.address,
        remote: stats.get(pair?.remoteCandidateId)?.address,
      };
    },

    hangUp() {
      pc?.close();
      channel?.close();
      video?.remove();
      pc = channel = video = undefined;
    },
  };
})();
