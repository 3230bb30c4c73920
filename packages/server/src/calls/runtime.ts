import type { CallSignal } from '@beckon/protocol';
import type { Context } from '../context.js';
import type { CallUser } from '../store/port.js';
import type { SessionRegistry } from './sessions.js';

/**
 * The service's only way out to clients: the gateway turns each call into frames on the named sessions'
 * sockets (`'all'`: every session the user has). Called synchronously, after the state change committed.
 * Returns false (exactly) when no addressed session had a live socket (the gateway held the signal for a resume): an
 * INVITED held so has not rung yet (`CallService.rang` marks it when it is flushed).
 */
export type Deliver = (to: CallUser, sessions: readonly string[] | 'all', signal: CallSignal) => unknown;

export interface CallLog {
  warn(obj: object, msg: string): void;
}

/** What the service's jobs (invite, answer, leave, timeouts, presence) share. */
export interface CallRuntime {
  ctx: Context;
  /** This node (CallService): recorded on the members it joins, heartbeated by its sweep. */
  nodeId: string;
  sessions: SessionRegistry;
  deliver: Deliver;
  newId(): string;
  drawRoomId(): number;
  log: CallLog;
}
