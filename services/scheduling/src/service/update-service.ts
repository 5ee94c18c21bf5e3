import { CONTAINER_DEFAULTS, invalid, type UpdateServiceV1 } from '@caas/contracts';
import { requireRolloutLimits } from './create-service';
import { withCompletion } from './rollout-outcome';
import { requireVisible, requireWriter } from './service-access';
import type { ServiceCommandBase } from './service-command';
import { resourcesOf, type ServiceEvent, type ServiceState, targetRevision } from './service.events';
import { mergedTemplate, sameData } from './template';

export interface UpdateService extends ServiceCommandBase {
  readonly kind: 'UpdateService';
  readonly spec: UpdateServiceV1;
}

/**
 * A new template revision (the latest revision's template with the given fields
 * replaced whole) and its rollout. An update during a rollout supersedes it: the new
 * revision becomes the target at once, and the replicas of the superseded revision are
 * old replicas like any other (a healthy one is kept until the availability budget lets
 * it go). A rollback still restores the last revision whose rollout completed.
 *
 * The template unchanged and the limits unchanged is a repeat: nothing happens. The
 * limits alone cannot change: they belong to a rollout, so they come with a new template.
 */
export function updateService(command: UpdateService, state: ServiceState): ServiceEvent[] {
  const { caller, serviceId, spec, at } = command;
  requireVisible(state, caller, serviceId);
  requireWriter(caller, 'update services');
  const limits = spec.update
    ? { maxUnavailable: spec.update.maxUnavailable, maxSurge: spec.update.maxSurge }
    : state.update;
  requireRolloutLimits(limits);
  const latest = state.templates[state.revision];
  const template = mergedTemplate(latest, spec);
  if (sameData(template, latest)) {
    if (sameData(limits, state.update)) return [];
    throw invalid('update', 'nothingToRollOut', 'update limits apply to a rollout: change the template with them');
  }
  // With no replicas desired (and none left), the rollout is complete at once.
  return withCompletion(
    state,
    [
      {
        type: 'ServiceUpdated',
        data: {
          tenantId: state.tenantId,
          environmentId: state.environmentId,
          serviceId,
          at,
          revision: state.revision + 1,
          previousRevision: targetRevision(state),
          image: template.image,
          resources: resourcesOf(template, CONTAINER_DEFAULTS.pidsLimit),
          maxUnavailable: limits.maxUnavailable,
          maxSurge: limits.maxSurge,
          template,
        },
      },
    ],
    at,
  );
}
