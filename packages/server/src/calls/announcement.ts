import type { CallSignal } from '@beckon/protocol';
import type { CallUser } from '../store/port.js';
import type { CallRuntime, Deliver } from './runtime.js';
import type { SessionRegistry } from './sessions.js';

interface Queued {
  to: CallUser;
  sessions: readonly string[] | 'all';
  signal: CallSignal;
  /** Told when a live socket took the signal (the gateway neither threw nor held it for a resume). */
  sent?: () => void;
}

/**
 * What one command says, gathered after its store commit and sent in one synchronous run: nothing can
 * interleave between the commit and them, so no other command's signal overtakes one of this change. (Its
 * webhooks were written with the commit: calls/webhooks.ts.) A throwing `deliver` is logged and skips only
 * that signal.
 */
export class Announcement {
  private readonly signals: Queued[] = [];

  constructor(private readonly rt: CallRuntime) {}

  /** The registry the notify helpers address sessions by. */
  get sessions(): SessionRegistry {
    return this.rt.sessions;
  }

  /** Queues a signal (same shape as the gateway's Deliver). */
  readonly deliver: Deliver = (to, sessions, signal) => {
    this.signals.push({ to, sessions, signal });
  };

  /** Queues a signal and learns whether the gateway took it. */
  deliverTracked(to: CallUser, sessions: readonly string[] | 'all', signal: CallSignal, sent: () => void) {
    this.signals.push({ to, sessions, signal, sent });
  }

  /** Sends every queued signal now, synchronously, in order. */
  send(): void {
    for (const q of this.signals.splice(0)) {
      // A session replaying what rings for it (presence.ts login) learns the invitations it heard of.
      if ('inviteID' in q.signal) this.rt.sessions.heard(q.to, q.sessions, q.signal.inviteID);
      try {
        if (this.rt.deliver(q.to, q.sessions, q.signal) !== false) q.sent?.();
      } catch (err) {
        this.rt.log.warn({ err, event: q.signal.event, userId: q.to.userId }, 'call signal not delivered');
      }
    }
  }
}
