import type { PlatformRole, TenantRole } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';

/** A person signed in with a gateway JWT, optionally scoped to one tenant. */
export interface UserPrincipal {
  readonly type: 'user';
  readonly userId: string;
  readonly platformRoles: readonly PlatformRole[];
  /** From the token's `tid`: the only source of the tenant a user acts in. */
  readonly tenantId: string | null;
  /** The user's role in that tenant, as tenancy answers it now (not as it was when the token was issued). */
  readonly role: TenantRole | null;
  /** The token's `exp` (seconds since the epoch): a token issued from this one never outlives it. */
  readonly expiresAt: number;
}

/** A machine holding an API key: always scoped to the key's tenant. */
export interface ApiKeyPrincipal {
  readonly type: 'api-key';
  readonly keyId: string;
  readonly tenantId: string;
  readonly role: TenantRole;
}

export type Principal = UserPrincipal | ApiKeyPrincipal;

/**
 * What tenancy is told about the caller: actor, tenant and roles all come from the
 * credential; `commandId` (from the request's Idempotency-Key) when there is one.
 */
export function toRequestMeta(principal: Principal | null, correlationId: string, commandId?: string): RequestMeta {
  const command = commandId ? { commandId } : {};
  if (!principal) {
    return { correlationId, actor: { type: 'system', id: 'anonymous' }, tenantId: null, roles: [], ...command };
  }
  if (principal.type === 'api-key') {
    return {
      correlationId,
      actor: { type: 'api-key', id: principal.keyId },
      tenantId: principal.tenantId,
      roles: [principal.role],
      ...command,
    };
  }
  return {
    correlationId,
    actor: { type: 'user', id: principal.userId },
    tenantId: principal.tenantId,
    roles: [...(principal.role ? [principal.role] : []), ...principal.platformRoles],
    ...command,
  };
}

/**
 * Who a request is counted and remembered as: the tenant when there is one (the rate
 * limit is per tenant), else the principal, else the client address.
 */
export function rateLimitSubject(principal: Principal | null, ip: string): string {
  if (principal?.tenantId) return `tenant:${principal.tenantId}`;
  if (principal?.type === 'user') return `user:${principal.userId}`;
  return `ip:${ip}`;
}

/**
 * The namespace of a caller's idempotency keys. Per principal and tenant, so that two
 * callers (or one user in two tenants) choosing the same key never see each other's
 * responses.
 */
export function idempotencyScope(principal: Principal | null, ip: string): string {
  if (!principal) return `anonymous:${ip}`;
  if (principal.type === 'api-key') return `api-key:${principal.keyId}`;
  return `user:${principal.userId}:${principal.tenantId ?? '-'}`;
}

/**
 * For platform staff acting on a tenant they need not belong to (admin routes): the
 * tenant named by the route, and only platform roles — never a tenant role the token
 * holds in some other tenant.
 */
export function toPlatformRequestMeta(
  principal: UserPrincipal,
  correlationId: string,
  tenantId: string | null,
  commandId?: string,
): RequestMeta {
  return {
    correlationId,
    actor: { type: 'user', id: principal.userId },
    tenantId,
    roles: [...principal.platformRoles],
    ...(commandId ? { commandId } : {}),
  };
}
