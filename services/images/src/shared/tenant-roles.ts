import { CaasError, type Membership, TENANCY, type TenantRole, type ScopeToTenantV1 } from '@caas/contracts';
import { ExpiringCache } from '@caas/messaging/src/rpc/expiring-cache';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import type { RpcClient } from '@caas/messaging/src/rpc/rpc-client';

/** As long as the gateway remembers a membership: a removed member loses the registry as fast as the API. */
const MEMBERSHIP_TTL_MS = 5_000;

/**
 * A caller's role in a tenant. An API key is its tenant's only, with the role the gateway
 * vouched for; a user's role in any tenant is asked of tenancy (remembered for a few
 * seconds, since `docker push` asks a token per layer batch).
 */
export class TenantRoles {
  private readonly memberships = new ExpiringCache<TenantRole | null>(MEMBERSHIP_TTL_MS);

  constructor(
    private readonly tenancy: RpcClient,
    /** Tests only: tenancy listens on `<prefix>.tenancy.…`. */
    private readonly subjectPrefix?: string,
  ) {}

  async roleIn(meta: RequestMeta, tenantId: string): Promise<TenantRole | null> {
    if (meta.actor.type === 'api-key') {
      return meta.tenantId === tenantId ? ((meta.roles[0] as TenantRole | undefined) ?? null) : null;
    }
    if (meta.actor.type !== 'user') return null;
    const userId = meta.actor.id;
    return this.memberships.get(`${userId}:${tenantId}`, () => this.askTenancy(meta, userId, tenantId));
  }

  private async askTenancy(meta: RequestMeta, userId: string, tenantId: string): Promise<TenantRole | null> {
    // The membership query proves the tenant: it is asked with none in scope.
    const asUser: RequestMeta = { ...meta, actor: { type: 'user', id: userId }, tenantId: null };
    const subject = this.subjectPrefix ? `${this.subjectPrefix}.${TENANCY.membership}` : TENANCY.membership;
    try {
      const membership = await this.tenancy.request<Membership>(
        subject,
        { tenantId } satisfies ScopeToTenantV1,
        asUser,
      );
      return membership.role;
    } catch (error) {
      if (error instanceof CaasError && ['not_found', 'forbidden'].includes(error.code)) return null;
      throw error;
    }
  }
}
