import type { PlanView } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Injectable } from '@nestjs/common';
import { ClusterState } from '../cluster/cluster-state';
import { TenancyClient } from '../shared/tenancy-client';
import { type ResourceDemand, checkQuota, tenantUsage } from './quota-usage';

/**
 * Plan quotas against the desired state. Fetch the plan (a NATS round trip) before
 * entering `scheduler.exclusive`, then call `check` inside it, right before the append
 * it allows: within one exclusive section, no other command can spend the same room.
 */
@Injectable()
export class QuotaGuard {
  constructor(
    private readonly cluster: ClusterState,
    private readonly tenancy: TenancyClient,
  ) {}

  /** The caller's plan in force now, asked of tenancy with the caller's own headers. */
  plan(meta: RequestMeta): Promise<PlanView> {
    return this.tenancy.quotas(meta);
  }

  /** Throws quota_exceeded when the tenant's usage plus `requested` passes a limit of `plan`. */
  check(tenantId: string, plan: PlanView, requested: ResourceDemand): void {
    const { containers, services } = this.cluster;
    const usage = tenantUsage(
      tenantId,
      [...containers.values()].map(({ state }) => state),
      [...services.values()].map(({ state }) => state),
    );
    checkQuota(plan.quotas, usage, requested);
  }
}
