import type { EventChannel } from './types.js';

type Handler = (...args: unknown[]) => void;

/**
 * `navigateTo`'s `eventChannel`. Each Beckon page is a document of its own (a frame of the shell), so the
 * channel cannot reach the page opened: its events stay within the calling page (documented in the README).
 */
export class LocalEventChannel implements EventChannel {
  private readonly handlers = new Map<string, { fn: Handler; once: boolean }[]>();

  emit(eventName: string, ...args: unknown[]): void {
    const list = this.handlers.get(eventName) ?? [];
    this.handlers.set(
      eventName,
      list.filter((h) => !h.once),
    );
    for (const { fn } of list) fn(...args);
  }

  on(eventName: string, fn: Handler): void {
    this.handlers.set(eventName, [...(this.handlers.get(eventName) ?? []), { fn, once: false }]);
  }

  once(eventName: string, fn: Handler): void {
    this.handlers.set(eventName, [...(this.handlers.get(eventName) ?? []), { fn, once: true }]);
  }

  off(eventName: string, fn: Handler): void {
    this.handlers.set(
      eventName,
      (this.handlers.get(eventName) ?? []).filter((h) => h.fn !== fn),
    );
  }
}
