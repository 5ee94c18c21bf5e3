import { type PlatformRole, forbidden, notFound } from '@caas/contracts';
import type { HostState } from './host.events';

/**
 * Hosts are the platform's: only a platform admin registers, drains or removes one.
 * Takes the caller's roles as the gateway verified them (`Caas-Roles`); checked before
 * anything about the host, so a caller who may not manage hosts learns nothing of them.
 */
export function requirePlatformAdmin(roles: readonly string[], action: string): void {
  const admin: PlatformRole = 'platform-admin';
  if (!roles.includes(admin)) throw forbidden(`Only a platform admin may ${action}`);
}

/** A host that was never registered, or was removed, is not found. */
export function requireHost(state: HostState, hostId: string): void {
  if (state.lifecycle !== 'registered') throw notFound('host', hostId);
}

/** The fields every host event carries. */
export const hostFact = (state: HostState, at: string) =>
  ({ tenantId: null, hostId: state.hostId, capacity: state.capacity, at }) as const;
