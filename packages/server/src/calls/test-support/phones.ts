import type { CallSignal, CallSignalName } from '@beckon/protocol';
import { createApp } from '../../apps/service.js';
import type { AppRecord, PushDeliveryRecord } from '../../store/port.js';
import { testContext } from '../../test-support/harness.js';
import { CallService, type CallServiceOptions } from '../service.js';

export type TestContext = ReturnType<typeof testContext>;

/** The code a command was refused with: 0 when it succeeded, -1 for an error without one. */
export const code = (promise: Promise<unknown>): Promise<number> =>
  promise.then(
    () => 0,
    (err: { code?: number }) => err.code ?? -1,
  );

/**
 * A CallService on a real store with a recording `deliver`: every signal lands in the inbox of each session
 * it was addressed to (`'all'` resolved to the user's sessions at that moment), as the gateway would write
 * it to their sockets.
 */
export class Phones {
  readonly inboxes = new Map<string, CallSignal[]>();
  /** Sessions whose socket write throws (the gateway's `deliver` fails for them). */
  readonly unreachable = new Set<string>();
  /** What the service logged as warnings. */
  readonly warnings: { obj: object; msg: string }[] = [];
  service: CallService;
  private sessions = 0;

  constructor(
    readonly ctx: TestContext,
    readonly app: AppRecord,
  ) {
    this.service = this.newService();
  }

  static async open(options: { file?: string; multiDevice?: boolean; push?: boolean } = {}): Promise<Phones> {
    const ctx = testContext(options.file ? { file: options.file } : {});
    const app = await createApp(ctx, { name: 'Calls', type: 'miniprogram' });
    if (options.multiDevice) await ctx.store.calls.saveSettings(app.appid, { multiDevice: true });
    if (options.push !== false)
      await ctx.store.push.setConfig({
        appid: app.appid,
        url: 'http://127.0.0.1:9/push',
        token: 'token123',
        encodingAESKey: null,
        format: 'json',
        mode: 'plaintext',
        verifiedAt: ctx.clock.now(),
        updatedAt: ctx.clock.now(),
      });
    return new Phones(ctx, app);
  }

  /** A service as a restarted (or another) node builds it: same store, no sessions. */
  newService(options: Partial<Omit<CallServiceOptions, 'deliver' | 'log'>> = {}): CallService {
    // `'all'` means the user's sessions on the node that delivers (each node reaches only its own sockets).
    const service: CallService = new CallService(this.ctx, {
      ...options,
      deliver: (to, sessions, signal) => {
        const ids = sessions === 'all' ? service.sessionsOf(to) : sessions;
        const broken = ids.find((id) => this.unreachable.has(id));
        if (broken) throw new Error(`socket of ${broken} is gone`);
        for (const id of ids) this.inbox(id).push(signal);
      },
      log: { warn: (obj, msg) => this.warnings.push({ obj, msg }) },
    });
    return service;
  }

  /** Replaces the service with a fresh one on the same store (the old one's sessions are gone with it). */
  restart(): void {
    this.service = this.newService();
  }

  /** Logs the user in on a new session (of `node`, default the current service); returns its id. */
  async login(userId: string, node: CallService = this.service): Promise<string> {
    const sessionId = `${userId}#${++this.sessions}`;
    await node.login({ sessionId, appid: this.app.appid, sdkAppId: this.app.sdkAppId, userId });
    return sessionId;
  }

  inbox(sessionId: string): CallSignal[] {
    let box = this.inboxes.get(sessionId);
    if (!box) {
      box = [];
      this.inboxes.set(sessionId, box);
    }
    return box;
  }

  /** The signals the session got since the last take, and forgets them. */
  take(sessionId: string): CallSignal[] {
    return this.inbox(sessionId).splice(0);
  }

  /** Event names only, since the last take. */
  events(sessionId: string): CallSignalName[] {
    return this.take(sessionId).map((s) => s.event);
  }

  clearAll(): void {
    for (const box of this.inboxes.values()) box.splice(0);
  }

  /** The webhooks the app's push outbox holds, oldest first, as (event, user, fields). */
  async webhooks(): Promise<{ event: string; userId: string; data: Record<string, unknown> }[]> {
    const rows: PushDeliveryRecord[] = await this.ctx.store.push.deliveries(this.app.appid, { limit: 1000 });
    return rows
      .reverse()
      .map((r) => ({ event: r.event, userId: r.userId, data: r.data as Record<string, unknown> }));
  }

  async close(): Promise<void> {
    await this.ctx.bus.close();
    await this.ctx.store.close();
  }
}
