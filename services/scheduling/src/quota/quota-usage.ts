import { NO_DEMAND, type ResourceDemand, demandOf } from '@caas/contracts';
import type { ContainerState } from '../container/container.events';
import type { ServiceState } from '../service/service.events';

// The rule itself (ResourceDemand, checkQuota, limitsExceeded) is @caas/contracts' plan-limits:
// one rule for every service. What is scheduling's own is counting usage from its desired state.

/**
 * A tenant's usage from the desired state: its standalone containers that are neither
 * removed nor being deleted (a deleted container still on its host is no longer the
 * tenant's budget), plus, for each of its active services, the desired replicas with
 * the latest revision's resources. Replicas are counted through their service, not as
 * containers, so a rollout's surge replica does not count twice.
 */
export function tenantUsage(
  tenantId: string,
  containers: Iterable<ContainerState>,
  services: Iterable<ServiceState>,
): ResourceDemand {
  let usage = NO_DEMAND;
  for (const container of containers) {
    if (container.tenantId !== tenantId || container.serviceId !== null || container.lifecycle !== 'scheduled')
      continue;
    if (container.desired === 'deleted' || container.observed === 'removed') continue;
    usage = plus(usage, demandOf(1, container.resources));
  }
  for (const service of services) {
    if (service.tenantId !== tenantId || service.status !== 'active') continue;
    const template = service.templates[service.revision];
    if (template) usage = plus(usage, demandOf(service.replicas, template.resources));
  }
  return usage;
}

function plus(a: ResourceDemand, b: ResourceDemand): ResourceDemand {
  return { containers: a.containers + b.containers, cpus: a.cpus + b.cpus, memoryMb: a.memoryMb + b.memoryMb };
}
