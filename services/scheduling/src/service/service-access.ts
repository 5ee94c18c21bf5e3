import { type Actor, forbidden, notFound, WRITING_ROLES } from '@caas/contracts';
import type { ServiceState } from './service.events';

/**
 * Who is asking. Scheduling owns no memberships: the tenant and the roles are the ones
 * the gateway verified and put in the NATS headers (`Caas-Tenant-Id`, `Caas-Roles`).
 */
export interface ServiceCaller {
  readonly tenantId: string;
  readonly actor: Actor;
  readonly roles: readonly string[];
}

/** Pure role check: owners, admins and developers change services; viewers only look. */
export function mayChangeServices(roles: readonly string[]): boolean {
  return roles.some((role) => (WRITING_ROLES as readonly string[]).includes(role));
}

export function requireWriter(caller: ServiceCaller, action: string): void {
  if (!mayChangeServices(caller.roles)) throw forbidden(`Your role may not ${action}`);
}

/** The reconciler's reports come from the platform itself, never from a tenant's credential. */
export function requireSystem(caller: ServiceCaller): void {
  if (caller.actor.type !== 'system') throw forbidden('Only the platform reports replica facts');
}

/**
 * A service that does not exist, was removed, or is another tenant's is `not_found`
 * (never `forbidden`, which would confirm it exists). Checked before the role.
 */
export function requireVisible(state: ServiceState, caller: ServiceCaller, serviceId: string): void {
  if (state.status !== 'active' || state.tenantId !== caller.tenantId) throw notFound('service', serviceId);
}
