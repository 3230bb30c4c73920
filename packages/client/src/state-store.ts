/**
 * A state for a UI to draw, and its listeners (the inbox's, the shell's): a new object on every change, so
 * a UI compares by identity or hands `subscribe` and `state` to Preact's/React's `useSyncExternalStore`.
 * A listener that throws is reported with `failed` and does not stop the others.
 */
export class StateStore<T extends object> {
  private current: T;
  private readonly listeners = new Set<(state: T) => void>();

  constructor(
    initial: T,
    /** What the console says before the error of a listener that threw. */
    private readonly failed: string,
  ) {
    this.current = initial;
  }

  get state(): T {
    return this.current;
  }

  set(change: Partial<T>): void {
    this.current = { ...this.current, ...change };
    for (const listener of [...this.listeners]) {
      try {
        listener(this.current);
      } catch (err) {
        console.error(this.failed, err);
      }
    }
  }

  /** Calls `listener` with the new state on every change; returns the function that stops it. */
  subscribe(listener: (state: T) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
