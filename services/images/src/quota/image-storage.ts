import {
  BYTES_PER_MB,
  NO_DEMAND,
  type PlanView,
  type ResourceDemand,
  TENANCY,
  type TenantRole,
  checkQuota,
  quotaBreach,
} from '@caas/contracts';
import { ExpiringCache } from '@caas/messaging/src/rpc/expiring-cache';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import type { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import type { DataSource } from 'typeorm';

/** As the gateway remembers a membership: a plan change reaches pushes within seconds. */
const PLAN_TTL_MS = 5_000;
/**
 * What a push asks of the plan (plan-limits, the rule every service shares). Its size is
 * unknown until it is done, so it needs at least one more byte: a tenant at or over its
 * limit is refused.
 */
const A_PUSH: ResourceDemand = { ...NO_DEMAND, imageStorageMb: 1 / BYTES_PER_MB };

export interface StorageUsage {
  readonly usedBytes: number;
  readonly limitBytes: number;
}

/**
 * The tenant's image storage against its plan (`maxImageStorageMb`): the sum of the
 * sizes of its distinct images (by digest) in the platform registry, as the registry's
 * notifications recorded them — a layer two images share counts in each. Pushes stop
 * once the tenant is at or over its limit: the registry only asks for a token before a
 * push, so the push that crosses the limit completes, and the next one is refused. The
 * comparison is @caas/contracts' plan-limits rule, the same as scheduling's.
 */
export class ImageStorage {
  private readonly plans = new ExpiringCache<PlanView>(PLAN_TTL_MS);

  constructor(
    private readonly dataSource: DataSource,
    private readonly tenancy: RpcClient,
    /** Tests only: tenancy listens on `<prefix>.tenancy.…`. */
    private readonly subjectPrefix?: string,
  ) {}

  async usedBytes(tenantId: string): Promise<number> {
    const [row] = (await this.dataSource.query(
      `select coalesce(sum(size), 0)::bigint as used from (
         select distinct on (t.digest) t.size from images.tags t
         join images.repositories r on r.repository_id = t.repository_id
         where r.tenant_id = $1) images`,
      [tenantId],
    )) as Array<{ used: string }>;
    return Number(row?.used ?? 0);
  }

  /** The caller's view of its tenant: asked of tenancy as the caller, with its role there. */
  async usage(meta: RequestMeta, tenantId: string, role: TenantRole): Promise<StorageUsage> {
    const { usedBytes, plan } = await this.standing(meta, tenantId, role);
    return { usedBytes, limitBytes: plan.quotas.maxImageStorageMb * BYTES_PER_MB };
  }

  async allowsPush(meta: RequestMeta, tenantId: string, role: TenantRole): Promise<boolean> {
    const { usedBytes, plan } = await this.standing(meta, tenantId, role);
    return quotaBreach(plan.quotas, storageDemand(usedBytes), A_PUSH) === undefined;
  }

  /** Refuses with quota_exceeded, naming maxImageStorageMb, when the tenant has no room left. */
  async requireRoom(meta: RequestMeta, tenantId: string, role: TenantRole): Promise<void> {
    const { usedBytes, plan } = await this.standing(meta, tenantId, role);
    checkQuota(plan.quotas, storageDemand(usedBytes), A_PUSH);
  }

  private async standing(meta: RequestMeta, tenantId: string, role: TenantRole) {
    const [usedBytes, plan] = await Promise.all([this.usedBytes(tenantId), this.planOf(meta, tenantId, role)]);
    return { usedBytes, plan };
  }

  private planOf(meta: RequestMeta, tenantId: string, role: TenantRole): Promise<PlanView> {
    // Tenancy checks the caller against the tenant itself: a user's membership, an API key's tenant.
    const asMember: RequestMeta = { ...meta, tenantId, roles: [role] };
    const subject = this.subjectPrefix ? `${this.subjectPrefix}.${TENANCY.getQuotas}` : TENANCY.getQuotas;
    return this.plans.get(tenantId, () => this.tenancy.request<PlanView>(subject, {}, asMember));
  }
}

/** The tenant's usage as plan-limits counts it: images service only counts storage. */
const storageDemand = (usedBytes: number): ResourceDemand => ({
  ...NO_DEMAND,
  imageStorageMb: usedBytes / BYTES_PER_MB,
});
