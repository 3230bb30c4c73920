/**
 * The media plane: how a call's audio and video travel between its members. The SDK talks to it only
 * through this interface, so a selective forwarding unit can replace the peer-to-peer mesh (mesh.ts)
 * without touching TRTCCalling's public API.
 */
export interface MediaPlane {
  /** Starts the call's media with what this member sends (tracks may be swapped later). */
  start(local: MediaStream): void;
  /** A member entered the call: connect to them. */
  addPeer(userId: string): void;
  /** A member left: disconnect from them. */
  removePeer(userId: string): void;
  /** Negotiation data another member relayed to this one (SDP, ICE). */
  receive(fromUserId: string, data: unknown): void;
  /** Sends this track of its kind from now on (null: nothing), to every peer, without renegotiating. */
  replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void>;
  /** What a member sends this one, once their first track arrived. */
  remoteStream(userId: string): MediaStream | undefined;
  /** The transport's statistics with one member (inbound-rtp `framesDecoded`…). */
  stats(userId: string): Promise<RTCStatsReport | undefined>;
  /** Ends every connection of the call. */
  stop(): void;
}

export interface MediaPlaneEvents {
  /** Negotiation data for another member, to relay through the server. */
  send(toUserId: string, data: unknown): void;
  /** A member's stream arrived (or gained a track). */
  remoteStream(userId: string, stream: MediaStream): void;
  /** A peer connection failed for good. */
  failed(userId: string, reason: string): void;
}
