import { CONTAINER_LIMITS, CaasError, type PlanQuotas } from '@caas/contracts';
import type { ContainerState } from '../container/container.events';
import type { ServiceState } from '../service/service.events';

/** What counts against a plan: containers, vCPUs, memory. */
export interface ResourceDemand {
  readonly containers: number;
  readonly cpus: number;
  readonly memoryMb: number;
}

export type QuotaLimit = 'maxContainers' | 'maxVcpu' | 'maxMemoryMb';

export const NO_DEMAND: ResourceDemand = { containers: 0, cpus: 0, memoryMb: 0 };

/** `replicas` copies of one container's resources. */
export function demandOf(replicas: number, resources: { cpus: number; memoryMb: number }): ResourceDemand {
  return { containers: replicas, cpus: replicas * resources.cpus, memoryMb: replicas * resources.memoryMb };
}

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

/**
 * Refuses with `quota_exceeded`, naming the first limit that usage plus the request
 * would pass. Only limits the request adds to are checked: scaling down, or growing
 * memory alone, is never refused for a limit the tenant was already over (a plan
 * downgrade). CPUs are compared in hundredths, the contract's precision, so 0.1 + 0.2
 * is exactly 0.3.
 */
export function checkQuota(
  quotas: Pick<PlanQuotas, QuotaLimit>,
  usage: ResourceDemand,
  requested: ResourceDemand,
): void {
  const cpuScale = 10 ** CONTAINER_LIMITS.cpus.decimals;
  const checks: Array<{ limit: QuotaLimit; allowed: number; inUse: number; requested: number; scale: number }> = [
    {
      limit: 'maxContainers',
      allowed: quotas.maxContainers,
      inUse: usage.containers,
      requested: requested.containers,
      scale: 1,
    },
    { limit: 'maxVcpu', allowed: quotas.maxVcpu, inUse: usage.cpus, requested: requested.cpus, scale: cpuScale },
    {
      limit: 'maxMemoryMb',
      allowed: quotas.maxMemoryMb,
      inUse: usage.memoryMb,
      requested: requested.memoryMb,
      scale: 1,
    },
  ];
  for (const check of checks) {
    const units = (value: number) => Math.round(value * check.scale);
    if (units(check.requested) <= 0) continue;
    if (units(check.inUse) + units(check.requested) <= units(check.allowed)) continue;
    const [allowed, inUse, wanted] = [check.allowed, check.inUse, check.requested].map(
      (value) => units(value) / check.scale,
    );
    throw new CaasError(
      'quota_exceeded',
      `Quota exceeded: ${check.limit} is ${allowed}, ${inUse} in use, ${wanted} more requested`,
      { details: { limit: check.limit, allowed, inUse, requested: wanted } },
    );
  }
}

function plus(a: ResourceDemand, b: ResourceDemand): ResourceDemand {
  return { containers: a.containers + b.containers, cpus: a.cpus + b.cpus, memoryMb: a.memoryMb + b.memoryMb };
}
