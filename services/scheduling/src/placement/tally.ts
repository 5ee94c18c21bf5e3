import { noneFiltered } from './filters';
import type { FilterCounts, Resources } from './types';

/** A host as reasons quote it: what it has free, out of what. */
export interface HostFreeCapacity {
  readonly hostId: string;
  readonly free: Resources;
  readonly capacity: Resources;
}

/**
 * What a placer learnt running the filters and scores: the counts and the few hosts a
 * reason quotes. Both placers fill one the same way and `reasons.ts` turns it into the
 * decision, so the reference and the indexed placer cannot word a decision differently.
 */
export interface PlacementTally {
  /** Hosts the placer knows. */
  total: number;
  filtered: FilterCounts;
  /** Of the hosts the status filter rejected. */
  down: number;
  draining: number;
  /** Of the hosts the dedicated filter rejected. */
  dedicatedToOthers: number;
  shared: number;
  /** Per request constraint: on how many of the hosts the constraints filter rejected it failed. */
  constraintFailures: number[];
  /** Of the hosts the resources filter rejected (a host may lack both). */
  lackingCpu: number;
  lackingMemory: number;
  /** Among the hosts that reached the resources filter; filled only when none fits. */
  mostFreeCpu?: HostFreeCapacity;
  mostFreeMemory?: HostFreeCapacity;
  /** Hosts that passed every filter; anti-affinity kept those with `fewestReplicas` of the service. */
  candidates: number;
  fewestReplicas: number;
  best?: HostFreeCapacity & { readonly score: number };
}

export function emptyTally(constraintCount: number): PlacementTally {
  return {
    total: 0,
    filtered: noneFiltered(),
    down: 0,
    draining: 0,
    dedicatedToOthers: 0,
    shared: 0,
    constraintFailures: new Array<number>(constraintCount).fill(0),
    lackingCpu: 0,
    lackingMemory: 0,
    candidates: 0,
    fewestReplicas: 0,
  };
}

/** Whether `candidate` has more free `dimension` than `current` (ties: lower hostId), for the "largest free" of a reason. */
export function hasMoreFree(
  dimension: keyof Resources,
  candidate: HostFreeCapacity,
  current: HostFreeCapacity | undefined,
): boolean {
  if (!current) return true;
  const a = candidate.free[dimension];
  const b = current.free[dimension];
  return a > b || (a === b && candidate.hostId < current.hostId);
}
