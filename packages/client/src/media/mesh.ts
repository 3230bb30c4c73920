import type { IceServer } from '@beckon/protocol/calls';
import type { MediaPlane, MediaPlaneEvents } from './plane.js';

/** What members relay to each other to connect (the server passes it on as `onRelay`). */
type Negotiation =
  | { kind: 'description'; description: RTCSessionDescriptionInit }
  | { kind: 'candidate'; candidate: RTCIceCandidateInit };

const KINDS = ['audio', 'video'] as const;

/** One member this one is connected to. */
class Peer {
  readonly pc: RTCPeerConnection;
  readonly stream = new MediaStream();
  /** The peer's messages, handled one at a time: a candidate waits for the offer before it. */
  private queue: Promise<void> = Promise.resolve();
  private early: RTCIceCandidateInit[] = [];
  private restarted = false;

  constructor(
    readonly userId: string,
    /** The member with the smaller userID offers; the other answers. Both know it, so offers never cross. */
    readonly offerer: boolean,
    iceServers: IceServer[],
    private readonly mesh: MeshPlane,
  ) {
    this.pc = new RTCPeerConnection({ iceServers });
    this.pc.onicecandidate = (e) => {
      if (e.candidate) mesh.events.send(userId, { kind: 'candidate', candidate: e.candidate.toJSON() });
    };
    this.pc.ontrack = (e) => {
      for (const old of this.stream.getTracks()) if (old.kind === e.track.kind) this.stream.removeTrack(old);
      this.stream.addTrack(e.track);
      mesh.events.remoteStream(userId, this.stream);
    };
    this.pc.onconnectionstatechange = () => {
      if (this.pc.connectionState !== 'failed') return;
      // One ICE restart (a network change) before giving up; the offerer's renegotiation carries it.
      if (offerer && !this.restarted) {
        this.restarted = true;
        this.pc.restartIce();
        return;
      }
      mesh.events.failed(userId, 'peer connection failed');
    };
    if (offerer) {
      // One sendrecv transceiver per kind from the start: tracks are swapped later without renegotiating
      // (camera on/off, switch to video, another device).
      for (const kind of KINDS)
        this.pc.addTransceiver(mesh.track(kind) ?? kind, { direction: 'sendrecv', streams: [mesh.local] });
      this.pc.onnegotiationneeded = () => this.run(() => this.offer());
    }
  }

  receive(message: Negotiation): void {
    this.run(async () => {
      if (message.kind === 'candidate') {
        if (this.pc.remoteDescription) await this.pc.addIceCandidate(message.candidate);
        else this.early.push(message.candidate);
        return;
      }
      const { description } = message;
      await this.pc.setRemoteDescription(description);
      if (description.type === 'offer') {
        // The answerer sends on the offerer's transceivers.
        for (const t of this.pc.getTransceivers()) {
          const kind = t.receiver.track.kind as 'audio' | 'video';
          t.direction = 'sendrecv';
          await t.sender.replaceTrack(this.mesh.track(kind));
          t.sender.setStreams?.(this.mesh.local);
        }
        await this.pc.setLocalDescription(await this.pc.createAnswer());
        this.sendDescription();
      }
      for (const candidate of this.early.splice(0)) await this.pc.addIceCandidate(candidate);
    });
  }

  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    for (const t of this.pc.getTransceivers())
      if (t.receiver.track.kind === kind && t.currentDirection !== 'stopped')
        await t.sender.replaceTrack(track);
  }

  close(): void {
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.onnegotiationneeded = null;
    this.pc.close();
  }

  private async offer(): Promise<void> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    this.sendDescription();
  }

  private sendDescription(): void {
    this.mesh.events.send(this.userId, {
      kind: 'description',
      description: this.pc.localDescription!.toJSON(),
    });
  }

  private run(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch((err) => this.mesh.events.failed(this.userId, String(err)));
  }
}

/**
 * The peer-to-peer mesh: one RTCPeerConnection per other member, negotiated over the server's relay.
 * Every member sends its media to every other, which is why a mesh call stops at MESH_MAX_USERS.
 */
export class MeshPlane implements MediaPlane {
  readonly peers = new Map<string, Peer>();
  /** What this member sends (the SDK's local stream, whose tracks replaceTrack swaps). */
  local!: MediaStream;

  constructor(
    private readonly self: string,
    private readonly iceServers: IceServer[],
    readonly events: MediaPlaneEvents,
  ) {}

  start(local: MediaStream): void {
    this.local = local;
  }

  track(kind: 'audio' | 'video'): MediaStreamTrack | null {
    return this.local.getTracks().find((t) => t.kind === kind) ?? null;
  }

  addPeer(userId: string): void {
    this.peer(userId);
  }

  removePeer(userId: string): void {
    this.peers.get(userId)?.close();
    this.peers.delete(userId);
  }

  receive(fromUserId: string, data: unknown): void {
    const message = data as Negotiation | null;
    if (message?.kind !== 'description' && message?.kind !== 'candidate') return;
    this.peer(fromUserId).receive(message);
  }

  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    for (const old of this.local.getTracks()) if (old.kind === kind) this.local.removeTrack(old);
    if (track) this.local.addTrack(track);
    await Promise.all([...this.peers.values()].map((p) => p.replaceTrack(kind, track)));
  }

  remoteStream(userId: string): MediaStream | undefined {
    const stream = this.peers.get(userId)?.stream;
    return stream?.getTracks().length ? stream : undefined;
  }

  async stats(userId: string): Promise<RTCStatsReport | undefined> {
    return this.peers.get(userId)?.pc.getStats();
  }

  stop(): void {
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
  }

  private peer(userId: string): Peer {
    let peer = this.peers.get(userId);
    if (!peer) {
      peer = new Peer(userId, this.self < userId, this.iceServers, this);
      this.peers.set(userId, peer);
    }
    return peer;
  }
}
