import { CaasError, type PlanView, TENANCY, type TenantRole } from '@caas/contracts';
import { ExpiringCache } from '@caas/messaging/src/rpc/expiring-cache';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import type { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import type { DataSource } from 'typeorm';

const MB = 1024 * 1024;
/** As the gateway remembers a membership: a plan change reaches pushes within seconds. */
const PLAN_TTL_MS = 5_000;

export interface StorageUsage {
  readonly usedBytes: number;
  readonly limitBytes: number;
}

/**
 * The tenant's image storage against its plan (`maxImageStorageMb`): the sum of the
 * sizes of its distinct images (by digest) in the platform registry, as the registry's
 * notifications recorded them — a layer two images share counts in each. Pushes stop
 * once the tenant is at or over its limit: the registry only asks for a token before a
 * push, so the push that crosses the limit completes, and the next one is refused.
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
    const [usedBytes, plan] = await Promise.all([this.usedBytes(tenantId), this.planOf(meta, tenantId, role)]);
    return { usedBytes, limitBytes: plan.quotas.maxImageStorageMb * MB };
  }

  async allowsPush(meta: RequestMeta, tenantId: string, role: TenantRole): Promise<boolean> {
    const { usedBytes, limitBytes } = await this.usage(meta, tenantId, role);
    return usedBytes < limitBytes;
  }

  /** Refuses with quota_exceeded, naming the limit, when the tenant has no room left. */
  async requireRoom(meta: RequestMeta, tenantId: string, role: TenantRole): Promise<void> {
    const { usedBytes, limitBytes } = await this.usage(meta, tenantId, role);
    if (usedBytes < limitBytes) return;
    const allowed = limitBytes / MB;
    const inUse = Math.ceil(usedBytes / MB);
    throw new CaasError(
      'quota_exceeded',
      `Quota exceeded: maxImageStorageMb is ${allowed}, ${inUse} MB in use — delete images or move to a larger plan`,
      { details: { limit: 'maxImageStorageMb', allowed, inUse } },
    );
  }

  private planOf(meta: RequestMeta, tenantId: string, role: TenantRole): Promise<PlanView> {
    // Tenancy checks the caller against the tenant itself: a user's membership, an API key's tenant.
    const asMember: RequestMeta = { ...meta, tenantId, roles: [role] };
    const subject = this.subjectPrefix ? `${this.subjectPrefix}.${TENANCY.getQuotas}` : TENANCY.getQuotas;
    return this.plans.get(tenantId, () => this.tenancy.request<PlanView>(subject, {}, asMember));
  }
}
