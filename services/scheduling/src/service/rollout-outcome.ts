import { fold } from '@caas/domain';
import { converged, rolloutInputOf } from './rollout';
import { evolveService, type ServiceEvent, type ServiceState } from './service.events';

/**
 * Appends RolloutCompleted to `events` when, once they are applied, the rollout in
 * progress has converged: every replica runs the target revision and is healthy, and
 * there are exactly as many as desired. (A rollback's completion reports the restored
 * revision.)
 */
export function withCompletion(state: ServiceState, events: ServiceEvent[], at: string): ServiceEvent[] {
  const after = fold({ initialState: () => state, evolve: evolveService }, events);
  if (after.status !== 'active' || after.rollout.status !== 'rolling' || !converged(rolloutInputOf(after))) {
    return events;
  }
  const { tenantId, environmentId, serviceId } = after;
  return [
    ...events,
    { type: 'RolloutCompleted', data: { tenantId, environmentId, serviceId, at, revision: after.rollout.target } },
  ];
}
