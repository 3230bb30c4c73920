import type { CallUser } from '../store/port.js';

/** A logged-in calling session: one client connection that passed the userSig check. */
export interface CallSession {
  sessionId: string;
  appid: string;
  sdkAppId: number;
  userId: string;
  loggedInAt: number;
}

const userKey = (u: CallUser) => `${u.sdkAppId}:${u.userId}`;

/**
 * Who is logged in on this node. In memory on purpose: a session is a live connection, gone with the
 * process; what must survive a restart (calls, invitations, deadlines) is in the store.
 */
export class SessionRegistry {
  private readonly bySession = new Map<string, CallSession>();
  private readonly byUser = new Map<string, Set<string>>();
  /** Sessions replaying their offline invitations (presence.ts login) → the inviteIDs they heard of since. */
  private readonly replaying = new Map<string, Set<string>>();

  get(sessionId: string): CallSession | undefined {
    return this.bySession.get(sessionId);
  }

  add(session: CallSession): void {
    this.bySession.set(session.sessionId, session);
    const key = userKey(session);
    const ids = this.byUser.get(key) ?? new Set<string>();
    ids.add(session.sessionId);
    this.byUser.set(key, ids);
  }

  remove(sessionId: string): CallSession | undefined {
    const session = this.bySession.get(sessionId);
    if (!session) return undefined;
    this.bySession.delete(sessionId);
    this.replaying.delete(sessionId);
    const key = userKey(session);
    const ids = this.byUser.get(key);
    ids?.delete(sessionId);
    if (ids?.size === 0) this.byUser.delete(key);
    return session;
  }

  /**
   * Until `unlisten`, notes each invitation a signal to the session names: login's replay of what still
   * rings skips those, as the session already heard of them (INVITED live, or what stopped them).
   */
  listen(sessionId: string): ReadonlySet<string> {
    const heard = new Set<string>();
    this.replaying.set(sessionId, heard);
    return heard;
  }

  unlisten(sessionId: string): void {
    this.replaying.delete(sessionId);
  }

  /** A signal naming `inviteId` goes to these sessions of the user (`'all'`: every one they have now). */
  heard(user: CallUser, sessions: readonly string[] | 'all', inviteId: string): void {
    if (this.replaying.size === 0) return;
    for (const id of sessions === 'all' ? (this.byUser.get(userKey(user)) ?? []) : sessions)
      this.replaying.get(id)?.add(inviteId);
  }

  /** The user's sessions, oldest login first. */
  of(user: CallUser): CallSession[] {
    return [...(this.byUser.get(userKey(user)) ?? [])].map((id) => this.bySession.get(id)!);
  }

  /**
   * Whether a call member's session (`joined`) is another device than `sessionId` that this node still
   * has. Only the device in a call acts on it (multi-device); one gone from this node (a restart) does not
   * hold the call any more.
   */
  heldElsewhere(joined: string | null | undefined, sessionId: string): boolean {
    return !!joined && joined !== sessionId && this.bySession.has(joined);
  }

  online(user: CallUser): boolean {
    return this.byUser.has(userKey(user));
  }

  get size(): number {
    return this.bySession.size;
  }
}
