import type { ServerFrame } from '@beckon/protocol';
import type { Bus } from '../bus/port.js';
import type { Connection } from './connection.js';
import { userChannel } from './push.js';

interface UserEntry {
  connections: Set<Connection>;
  /** The one Bus subscription of this user on this node; resolves to its unsubscribe. */
  subscription: Promise<() => Promise<void>>;
}

/**
 * The open sockets of each user on this node, and one Bus subscription per user for all of them: the first
 * socket of a user subscribes to `userChannel(userId)`, the last one to close unsubscribes.
 */
export class UserChannels {
  private readonly users = new Map<string, UserEntry>();
  private readonly leaving = new Set<Promise<void>>();

  constructor(private readonly bus: Bus) {}

  /** Adds a socket; resolves once the user's frames reach it (rejects if the Bus cannot subscribe). */
  async join(userId: string, connection: Connection): Promise<void> {
    let entry = this.users.get(userId);
    if (!entry) {
      const connections = new Set<Connection>();
      // Frames are the server's own (pushToUser); the gateway forwards them as they are.
      const forward = (frame: unknown) => {
        for (const c of connections) c.deliver(frame as ServerFrame);
      };
      entry = { connections, subscription: this.bus.subscribe(userChannel(userId), forward) };
      this.users.set(userId, entry);
    }
    entry.connections.add(connection);
    try {
      await entry.subscription;
    } catch (err) {
      // A failed subscription must not be handed to the user's next sockets: forget it.
      if (this.users.get(userId) === entry) this.users.delete(userId);
      throw err;
    }
  }

  /** Removes a socket; the user's last one takes the Bus subscription with it. */
  async leave(userId: string, connection: Connection): Promise<void> {
    const entry = this.users.get(userId);
    if (!entry?.connections.delete(connection) || entry.connections.size > 0) return;
    this.users.delete(userId);
    const leaving = entry.subscription.then(
      (unsubscribe) => unsubscribe(),
      () => undefined,
    );
    this.leaving.add(leaving);
    try {
      await leaving;
    } finally {
      this.leaving.delete(leaving);
    }
  }

  /** Resolves when every unsubscribe under way has finished (shutdown waits for it before the Bus closes). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.leaving]);
  }

  all(): Connection[] {
    return [...this.users.values()].flatMap((entry) => [...entry.connections]);
  }

  /** Users with a socket here (each has one Bus subscription). */
  get userCount(): number {
    return this.users.size;
  }
}
