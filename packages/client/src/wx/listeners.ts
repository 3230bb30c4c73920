import { runCallback } from './respond.js';

/** `wx.onX(listener)` / `wx.offX(listener?)`: a listener added twice runs once; off without one clears all. */
export class Listeners<T> {
  private readonly list = new Set<(value: T) => void>();

  constructor(private readonly onFirst?: () => void) {}

  add(listener: unknown): void {
    if (typeof listener !== 'function') throw new TypeError('the listener must be a function');
    if (this.list.size === 0) this.onFirst?.();
    this.list.add(listener as (value: T) => void);
  }

  remove(listener?: unknown): void {
    if (listener === undefined) this.list.clear();
    else this.list.delete(listener as (value: T) => void);
  }

  emit(value: T): void {
    for (const listener of [...this.list]) runCallback(listener, value);
  }
}
