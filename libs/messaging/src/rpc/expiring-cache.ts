/**
 * Remembers answers for a few seconds. Concurrent lookups of one key share a single
 * load; failures are not remembered (a refused or unreachable credential is asked
 * again next time). Bounded: the oldest entry goes when it is full.
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { readonly value: Promise<V>; readonly expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) return entry.value;
    return this.refresh(key, load);
  }

  /** Loads now, whatever is remembered, and remembers this answer instead. */
  refresh(key: string, load: () => Promise<V>): Promise<V> {
    this.entries.delete(key);
    if (this.ttlMs <= 0) return load();
    const value = load();
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  /** Drops every remembered answer whose key matches (all of them without `match`). */
  forget(match: (key: string) => boolean = () => true): void {
    for (const key of [...this.entries.keys()]) if (match(key)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
