import { CaasError, type EnvironmentView, type PlanView, TENANCY } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import type { RpcClient } from '@caas/messaging/src/rpc/rpc-client';

/**
 * What scheduling asks tenancy, always with the caller's own headers: tenancy decides
 * again whether that caller may see the tenant, so a forged tenant id gets nothing.
 */
export class TenancyClient {
  constructor(
    private readonly rpc: RpcClient,
    /** Tests only: tenancy listens on `<prefix>.tenancy.…`. */
    private readonly subjectPrefix?: string,
  ) {}

  /** The plan in force now: the one source of every quota check. */
  quotas(meta: RequestMeta): Promise<PlanView> {
    return this.request<PlanView>(TENANCY.getQuotas, meta);
  }

  /** Refuses with not_found (naming the field) unless `environmentId` is one of the caller's tenant's. */
  async requireEnvironment(meta: RequestMeta, environmentId: string): Promise<void> {
    const environments = await this.request<EnvironmentView[]>(TENANCY.listEnvironments, meta);
    if (!environments.some((environment) => environment.environmentId === environmentId)) {
      throw new CaasError('not_found', `environmentId: environment '${environmentId}' not found in this tenant`, {
        details: { field: 'environmentId', environmentId },
      });
    }
  }

  private request<Result>(pattern: string, meta: RequestMeta): Promise<Result> {
    return this.rpc.request<Result>(this.subjectPrefix ? `${this.subjectPrefix}.${pattern}` : pattern, {}, meta);
  }
}
