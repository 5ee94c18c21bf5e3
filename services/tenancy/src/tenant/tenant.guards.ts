import { CaasError, type TenantRole, conflict, forbidden, notFound } from '@caas/contracts';
import { type Caller, isPlatformStaff } from '../shared/caller';
import type { TenantState, TenantStatus } from './tenant.events';

/** What a rule needs to know about the caller's standing in one tenant. */
export interface TenantAccess {
  readonly tenantId: string;
  readonly status: TenantStatus;
  /** The caller's role in the tenant, if any. */
  readonly role: TenantRole | undefined;
  readonly caller: Caller;
}

/**
 * A user's role is the tenant's own record of its members (authoritative, never the
 * headers); an API key's role is the one the gateway verified for this tenant.
 */
export function accessOf(state: TenantState, tenantId: string, caller: Caller): TenantAccess {
  const role =
    caller.actor.type === 'user'
      ? state.members[caller.actor.id]
      : caller.actor.type === 'api-key'
        ? caller.keyRole
        : undefined;
  return { tenantId, status: state.status, role, caller };
}

/**
 * The first check of every tenant command: a tenant that does not exist, was deleted,
 * or that the caller is not a member of is `not_found` — never `forbidden`, which
 * would confirm it exists. Platform staff see every live tenant.
 */
export function requireVisible(access: TenantAccess): void {
  const gone = access.status === 'none' || access.status === 'deleted';
  if (gone || (access.role === undefined && !isPlatformStaff(access.caller))) throw notFound('tenant', access.tenantId);
}

/** The caller can see the tenant but its role does not allow `action`. */
export function requireRole(access: TenantAccess, allowed: readonly TenantRole[], action: string): TenantRole {
  if (access.role === undefined || !allowed.includes(access.role)) {
    throw forbidden(`Your role${access.role ? ` (${access.role})` : ''} may not ${action}`);
  }
  return access.role;
}

/**
 * A suspended tenant refuses every change except resume and delete (and revoking an
 * API key, which only ever takes access away). It answers `conflict`: the caller is
 * allowed to do this, the tenant's state is what stands in the way.
 */
export function requireActive(access: Pick<TenantAccess, 'tenantId' | 'status'>): void {
  if (access.status === 'suspended') {
    throw conflict(`tenant '${access.tenantId}' is suspended`, { tenantId: access.tenantId, status: 'suspended' });
  }
}

export function notAMember(userId: string): CaasError {
  return notFound('member', userId);
}
