import {
  type DashboardUsageView,
  type PlanQuotas,
  type PlanView,
  type QuotaLimit,
  type ResourceDemand,
  limitsExceeded,
} from '@caas/contracts';
import type { TenantFigures } from './dashboard.queries';

/**
 * The limits the dashboard counts: compute, as scheduling counts them. Image storage is
 * the images service's and not in CAAS_EVENTS' scheduling facts, so it is left out
 * (counted as 0 by the rule).
 */
const COMPUTE_LIMITS: ReadonlyArray<{ limit: QuotaLimit; used: (demand: ResourceDemand) => number }> = [
  { limit: 'maxContainers', used: (demand) => demand.containers },
  { limit: 'maxVcpu', used: (demand) => demand.cpus },
  { limit: 'maxMemoryMb', used: (demand) => demand.memoryMb },
];

/**
 * Usage against the plan in force: tenancy's answer of now when there is one (what
 * GET /v1/quotas shows), else the plan the dashboard's own events say the tenant is on.
 */
export function dashboardUsage(
  demand: ResourceDemand,
  fromTenancy: PlanView | undefined,
  projected: TenantFigures['projectedPlan'],
): DashboardUsageView {
  const plan: { planId: string; name: string | null; quotas: PlanQuotas | null } | null = fromTenancy ?? projected;
  const source = fromTenancy ? 'tenancy' : projected?.quotas ? 'projected' : 'unknown';
  const quotas = plan?.quotas ?? null;
  return {
    planId: plan?.planId ?? null,
    planName: plan?.name ?? null,
    planSource: source,
    limits: quotas
      ? COMPUTE_LIMITS.map(({ limit, used }) => ({ limit, used: used(demand), allowed: quotas[limit] }))
      : [],
    limitsExceeded: quotas ? limitsExceeded(quotas, { ...demand, imageStorageMb: 0 }) : [],
  };
}
