/**
 * Rows the send pipeline reads on every request (a token, a private template, an openid), kept in memory.
 * Correct because the embedded store has one writer process — the server — and the adapter that caches a
 * row is the one that changes it: every write below drops what it touches. Only rows that exist are kept,
 * so a row added later is never hidden behind a cached miss. Rows are deep-frozen: a caller cannot change
 * what the next caller reads.
 */
export class ReadCache<T> {
  private readonly rows = new Map<string, T>();

  constructor(private readonly max = 50_000) {}

  /** The cached row, or the one `read` finds (cached when it exists). */
  get(key: string, read: () => T | undefined): T | undefined {
    const hit = this.rows.get(key);
    if (hit !== undefined) return hit;
    const row = read();
    if (row === undefined) return undefined;
    if (this.rows.size >= this.max) this.rows.clear();
    this.rows.set(key, deepFreeze(row));
    return row;
  }

  drop(key: string): void {
    this.rows.delete(key);
  }

  clear(): void {
    this.rows.clear();
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
