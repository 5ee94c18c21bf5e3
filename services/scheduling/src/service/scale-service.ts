import { CONTAINER_DEFAULTS } from '@caas/contracts';
import { requireReplicas } from './create-service';
import { withCompletion } from './rollout-outcome';
import { requireVisible, requireWriter } from './service-access';
import type { ServiceCommandBase } from './service-command';
import { resourcesOf, type ServiceEvent, type ServiceState, targetRevision } from './service.events';

export interface ScaleService extends ServiceCommandBase {
  readonly kind: 'ScaleService';
  readonly replicas: number;
}

/**
 * Scaling during a rollout changes N for the rollout in progress: no new revision,
 * the rollout goes on with the same step rules towards the new count (scaling up
 * starts replicas of the target revision only; scaling down retires old replicas
 * first). It may complete the rollout at once (scaling down to the new replicas).
 */
export function scaleService(command: ScaleService, state: ServiceState): ServiceEvent[] {
  const { caller, serviceId, replicas, at } = command;
  requireVisible(state, caller, serviceId);
  requireWriter(caller, 'scale services');
  requireReplicas(replicas);
  if (replicas === state.replicas) return [];
  const template = state.templates[targetRevision(state)];
  return withCompletion(
    state,
    [
      {
        type: 'ServiceScaled',
        data: {
          tenantId: state.tenantId,
          environmentId: state.environmentId,
          serviceId,
          at,
          previousReplicas: state.replicas,
          replicas,
          resources: resourcesOf(template, CONTAINER_DEFAULTS.pidsLimit),
        },
      },
    ],
    at,
  );
}
