import { type TenantRole, forbidden } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';

/** A tenant member submitting: the tenant in scope and its role there. */
export interface SubmittingCaller {
  readonly tenantId: string;
  readonly role: TenantRole;
  /** `user:<id>` / `api-key:<id>`. */
  readonly actor: string;
}

/** Whoever decides a submission: only a platform admin may. */
export interface DecidingCaller {
  readonly platformAdmin: boolean;
  readonly actor: string;
}

export const actorOf = (meta: RequestMeta) => `${meta.actor.type}:${meta.actor.id}`;

/**
 * A platform admin is a user holding the role: an API key never does (it acts inside
 * one tenant), whatever its headers say.
 */
export const isPlatformAdmin = (meta: RequestMeta) =>
  meta.actor.type === 'user' && meta.roles.includes('platform-admin');

export function requirePlatformAdmin(caller: DecidingCaller, action: string): void {
  if (!caller.platformAdmin) throw forbidden(`Only a platform admin may ${action}`);
}
