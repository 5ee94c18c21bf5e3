import { type Actor, type PlatformRole, TENANT_ROLES, type TenantRole } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { isPlatformRole, isTenantRole } from './roles';

/** Who is asking, as far as the tenancy rules care. Built from the NATS headers only. */
export interface Caller {
  readonly actor: Actor;
  /**
   * An API key's role in its own tenant, as the gateway verified it. Never set for a
   * user: a user's role is read from the tenant (aggregate or read model), not trusted
   * from the headers.
   */
  readonly keyRole?: TenantRole;
  /** platform-admin / finance, as the gateway put them in the headers; API keys never hold them. */
  readonly platformRoles: readonly PlatformRole[];
}

export function callerOf(meta: RequestMeta): Caller {
  if (meta.actor.type === 'api-key') {
    // Should the gateway ever send several tenant roles for one key, the weakest counts.
    const keyRole = [...TENANT_ROLES].reverse().find((role) => meta.roles.includes(role));
    return { actor: meta.actor, keyRole: keyRole && isTenantRole(keyRole) ? keyRole : undefined, platformRoles: [] };
  }
  return { actor: meta.actor, platformRoles: meta.roles.filter(isPlatformRole) };
}

export function isPlatformAdmin(caller: Caller): boolean {
  return caller.platformRoles.includes('platform-admin');
}

/** Platform staff may look at any tenant (read-only for finance). */
export function isPlatformStaff(caller: Caller): boolean {
  return caller.platformRoles.length > 0;
}

/** The signed-in user's id, or undefined for API keys and the system. */
export function userIdOf(caller: Caller): string | undefined {
  return caller.actor.type === 'user' ? caller.actor.id : undefined;
}
