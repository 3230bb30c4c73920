type Listener = (payload: unknown) => void;

interface Entry {
  callback: Listener;
  context: unknown;
}

/**
 * TRTCCalling's `on(eventName, callback, context)` / `off(eventName, callback, context)`: a callback runs
 * with `this` bound to its context, and `off` removes the entry with the same callback and context (or, with
 * no callback, every listener of the event). A throwing listener is reported and does not stop the others.
 */
export class Emitter {
  private readonly listeners = new Map<string, Entry[]>();

  constructor(private readonly report: (err: unknown, event: string) => void) {}

  on(event: string, callback: Listener, context?: unknown): void {
    if (typeof callback !== 'function')
      throw new TypeError('on(eventName, callback): callback must be a function');
    const list = this.listeners.get(event) ?? [];
    list.push({ callback, context });
    this.listeners.set(event, list);
  }

  off(event: string, callback?: Listener, context?: unknown): void {
    const list = this.listeners.get(event);
    if (!list) return;
    const kept = callback
      ? list.filter((e) => e.callback !== callback || (context !== undefined && e.context !== context))
      : [];
    if (kept.length) this.listeners.set(event, kept);
    else this.listeners.delete(event);
  }

  emit(event: string, payload: unknown): void {
    for (const { callback, context } of [...(this.listeners.get(event) ?? [])]) {
      try {
        callback.call(context, payload);
      } catch (err) {
        this.report(err, event);
      }
    }
  }
}
