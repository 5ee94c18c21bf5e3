import { CaasError, type PlanView, type ResourceDemand, checkQuota } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Injectable } from '@nestjs/common';
import { ClusterState } from '../cluster/cluster-state';
import { TenancyClient } from '../shared/tenancy-client';
import { tenantUsage } from './quota-usage';

/**
 * Plan quotas against the desired state. Fetch the plan (remembered for a few seconds,
 * see TenancyClient) before entering `scheduler.exclusive`, then call `check` inside it,
 * right before the append it allows: within one exclusive section, no other command can
 * spend the same room.
 */
@Injectable()
export class QuotaGuard {
  constructor(
    private readonly cluster: ClusterState,
    private readonly tenancy: TenancyClient,
  ) {}

  /** The caller's plan in force, asked of tenancy with the caller's own headers (or remembered). */
  plan(meta: RequestMeta): Promise<PlanView> {
    return this.tenancy.quotas(meta);
  }

  /**
   * Throws quota_exceeded when the tenant's usage plus `requested` passes a limit of the
   * plan. A remembered plan may only let a command through: before refusing, the plan is
   * asked again, so a tenant who has just upgraded is not held to the old one.
   */
  async check(meta: RequestMeta, tenantId: string, plan: PlanView, requested: ResourceDemand): Promise<void> {
    try {
      checkQuota(plan.quotas, this.usage(tenantId), requested);
    } catch (error) {
      if (!(error instanceof CaasError && error.code === 'quota_exceeded')) throw error;
      const now = await this.tenancy.quotas(meta, true);
      checkQuota(now.quotas, this.usage(tenantId), requested);
    }
  }

  private usage(tenantId: string) {
    const { containers, services } = this.cluster;
    return tenantUsage(
      tenantId,
      [...containers.values()].map(({ state }) => state),
      [...services.values()].map(({ state }) => state),
    );
  }
}
