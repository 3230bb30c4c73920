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
    const key = userKey(session);
    const ids = this.byUser.get(key);
    ids?.delete(sessionId);
    if (ids?.size === 0) this.byUser.delete(key);
    return session;
  }

  /** The user's sessions, oldest login first. */
  of(user: CallUser): CallSession[] {
    return [...(this.byUser.get(userKey(user)) ?? [])].map((id) => this.bySession.get(id)!);
  }

  online(user: CallUser): boolean {
    return this.byUser.has(userKey(user));
  }

  get size(): number {
    return this.bySession.size;
  }
}
