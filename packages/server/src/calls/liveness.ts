import { leaveCall } from './leave.js';
import type { CallRuntime } from './runtime.js';

/** Stranded members read per store query; the eviction reads again until a page comes back short. */
const PAGE = 100;

/** This node is alive now: the heartbeat every sweep writes (its members stay in their calls). */
export function heartbeat(rt: CallRuntime): Promise<void> {
  return rt.ctx.store.calls.heartbeat(rt.nodeId, rt.ctx.clock.now());
}

/**
 * Node liveness: a member is in a call through a session that one node holds. When that node dies (crash,
 * kill, lost host) nobody logs its sessions out, so its members would stay "in the call" in the store and be
 * busy forever. Every node heartbeats from its sweep; this makes each member whose node was last seen more
 * than `staleAfterMs` ago leave through the normal leave path (USER_LEAVE, their ringing invitations
 * cancelled, the end rule and CALL_END, the record and webhooks), compare-and-set on the node so a rejoin
 * elsewhere stands. Then it forgets the dead nodes that have nobody left. A node never evicts its own members.
 * Returns how many members it made leave (or found gone already).
 */
export async function evictStranded(rt: CallRuntime, staleAfterMs: number): Promise<number> {
  const store = rt.ctx.store.calls;
  const seenBefore = rt.ctx.clock.now() - staleAfterMs;
  const tried = new Set<string>();
  let evicted = 0;
  for (;;) {
    const page = await store.stranded(seenBefore, PAGE);
    const fresh = page.filter((m) => m.nodeId !== rt.nodeId && !tried.has(`${m.callId}\n${m.userId}`));
    for (const m of fresh) {
      tried.add(`${m.callId}\n${m.userId}`);
      await leaveCall(rt, m.callId, m.userId, m.nodeId);
      evicted++;
    }
    // A page with nothing new would come back the same: stop rather than loop.
    if (page.length < PAGE || fresh.length === 0) break;
  }
  if (evicted) rt.log.warn({ nodeId: rt.nodeId, evicted }, 'members of stopped nodes left their calls');
  await store.forgetNodes(seenBefore);
  return evicted;
}
