import { type TenantRole, forbidden, notFound } from '@caas/contracts';
import type { RepositoryState } from './repository.events';

/** Who asks, from the request's headers: the tenant in scope and the caller's role there. */
export interface RepositoryCaller {
  readonly tenantId: string;
  readonly role: TenantRole;
}

/** Another tenant's repository (or one that is gone) is not found, whatever the caller's role. */
export function requireOwn(state: RepositoryState, caller: RepositoryCaller, repositoryId: string): void {
  if (!state.exists || state.tenantId !== caller.tenantId) throw notFound('Repository', repositoryId);
}

export function requireRole(caller: RepositoryCaller, roles: readonly TenantRole[], action: string): void {
  if (!roles.includes(caller.role)) throw forbidden(`A ${caller.role} may not ${action}`);
}
