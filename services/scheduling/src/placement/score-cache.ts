import type { Resources } from './types';

/** Cached `fitTotal`s of every host for one request size. */
export interface SizeScores {
  /** 10^freeCpu + 10^freeMem after placing this size, per slot… */
  totals: Float64Array;
  /** …valid while it equals the slot's `HostTable.version`. */
  versions: Float64Array;
  lastUsed: number;
}

/**
 * Requests come in a few sizes (0.5 cpu / 512 MB, 1 / 1024…), and a placement changes
 * one host. So a host's score for a size is computed once and reused until that host
 * changes: two Math.pow calls per placement instead of two per host. The cache keeps
 * the most recently used sizes; a size it does not hold costs one full computation.
 */
export class ScoreCache {
  private readonly sizes = new Map<string, SizeScores>();
  private uses = 0;

  constructor(private readonly maxSizes = 32) {}

  /** The entry for `resources`, with room for `slotCount` slots (new or grown entries are all stale). */
  forSize(resources: Resources, slotCount: number): SizeScores {
    const key = `${resources.cpus}/${resources.memoryMb}`;
    let entry = this.sizes.get(key);
    if (!entry) {
      if (this.sizes.size >= this.maxSizes) this.evictLeastRecentlyUsed();
      entry = { totals: new Float64Array(slotCount), versions: new Float64Array(slotCount).fill(-1), lastUsed: 0 };
      this.sizes.set(key, entry);
    } else if (entry.totals.length < slotCount) {
      const grown = Math.max(slotCount, entry.totals.length * 2);
      const totals = new Float64Array(grown);
      const versions = new Float64Array(grown).fill(-1);
      totals.set(entry.totals);
      versions.set(entry.versions);
      entry.totals = totals;
      entry.versions = versions;
    }
    entry.lastUsed = ++this.uses;
    return entry;
  }

  private evictLeastRecentlyUsed(): void {
    let oldest: string | undefined;
    let oldestUse = Infinity;
    for (const [key, entry] of this.sizes) {
      if (entry.lastUsed < oldestUse) [oldest, oldestUse] = [key, entry.lastUsed];
    }
    if (oldest !== undefined) this.sizes.delete(oldest);
  }
}
