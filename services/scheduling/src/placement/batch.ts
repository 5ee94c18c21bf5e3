import type { NotPlaced, Placed, PlacementRequest, Placer, ReplicaCounts } from './types';

export interface ReplicaPlacements {
  /** One decision per placed replica, in order; each is already allocated in the placer. */
  readonly placements: readonly Placed[];
  /** Why the next replica could not be placed, if one could not. */
  readonly failure?: NotPlaced;
}

/**
 * Places `count` replicas of one service, one after the other, each decision allocated
 * in the placer and counted in the replicas map before the next: so anti-affinity sees
 * the replicas just placed (they spread over hosts) and capacity is never
 * over-committed. `replicas` are those already running (not modified).
 *
 * Stops at the first replica that does not fit: the request is the same and capacity
 * only shrinks, so every later one would fail for the same reason. With `allOrNothing`
 * the replicas already placed are released again (a scale-up refused as a whole);
 * otherwise they stay, and the caller schedules those and reports the rest.
 */
export function placeReplicas(
  placer: Placer,
  request: PlacementRequest,
  count: number,
  replicas: ReplicaCounts = new Map(),
  options: { readonly allOrNothing?: boolean } = {},
): ReplicaPlacements {
  const perHost = new Map(replicas);
  const placements: Placed[] = [];
  for (let i = 0; i < count; i++) {
    const decision = placer.place(request, perHost);
    if (!decision.placed) {
      if (!options.allOrNothing) return { placements, failure: decision };
      for (const placement of placements) placer.release(placement.hostId, request.resources);
      return { placements: [], failure: decision };
    }
    placer.allocate(decision.hostId, request.resources);
    perHost.set(decision.hostId, (perHost.get(decision.hostId) ?? 0) + 1);
    placements.push(decision);
  }
  return { placements };
}
