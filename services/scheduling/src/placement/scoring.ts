import type { HostView, PlacementStrategy, Resources } from './types';

/**
 * The score stage: Nomad's fit score (`ScoreFitBinPack` / `ScoreFitSpread`,
 * nomad/structs/funcs.go). With the free fraction of cpu and of memory a host would
 * have *after* the placement, total = 10^freeCpu + 10^freeMem, in [2, 20]:
 *
 * - binpack = (20 − total) / 18: the fullest host that fits wins. The exponential is
 *   convex, so for the same overall load it prefers a host whose cpu and memory fill
 *   evenly, leaving less of one stranded without the other;
 * - spread = (total − 2) / 18: the inverse, the host with the most free capacity wins.
 *
 * Both are normalised to [0, 1] (Nomad divides by 18 too), higher is better. Fractions,
 * not absolute amounts: a 4-cpu host with 3 free is emptier than a 32-cpu host with 8
 * free. Equal scores go to the lowest hostId, so tests and replays are stable.
 *
 * Scores are pure functions of (capacity, allocated, requested), which is what lets the
 * indexed placer cache them per host and request size and still make bit-identical
 * decisions: one Math.pow costs ~45 ns here, two per host, 5,000 hosts a placement.
 */

/** The fraction of one dimension of a host left free after placing `requested`. A dimension without capacity counts as full. */
export function freeFractionAfter(capacity: number, allocated: number, requested: number): number {
  return capacity > 0 ? (capacity - allocated - requested) / capacity : 0;
}

/** 10^freeCpu + 10^freeMem after placing `resources`: the strategy-independent part of the score. */
export function fitTotal(capacity: Resources, allocated: Resources, resources: Resources): number {
  return (
    Math.pow(10, freeFractionAfter(capacity.cpus, allocated.cpus, resources.cpus)) +
    Math.pow(10, freeFractionAfter(capacity.memoryMb, allocated.memoryMb, resources.memoryMb))
  );
}

/** Nomad's normalised score from total = 10^freeCpu + 10^freeMem (after placement). */
export function scoreFromTotal(strategy: PlacementStrategy, total: number): number {
  const score = strategy === 'spread' ? (total - 2) / 18 : (20 - total) / 18;
  // Bounded as in Nomad: an over-committed host (possible after its capacity shrank)
  // has negative free fractions.
  return score < 0 ? 0 : score > 1 ? 1 : score;
}

/** The score of placing `resources` on `host` (which must fit it). */
export function fitScore(strategy: PlacementStrategy, host: HostView, resources: Resources): number {
  return scoreFromTotal(strategy, fitTotal(host.capacity, host.allocated, resources));
}

/** Whether candidate A beats candidate B: higher score, then lower hostId (code-unit order, locale-independent). */
export function beats(scoreA: number, hostIdA: string, scoreB: number, hostIdB: string): boolean {
  return scoreA > scoreB || (scoreA === scoreB && hostIdA < hostIdB);
}
