import type { HostEvent, HostState } from './host.events';
import { hostFact, requireHost, requirePlatformAdmin } from './host.guards';

export interface DrainHost {
  readonly kind: 'DrainHost';
  readonly hostId: string;
  readonly roles: readonly string[];
  readonly at: string;
}

/**
 * Platform admins only. Records the intent — no new containers here, and its replicas
 * are to move — which placement and the reconciler act on. Also for a down host.
 * Draining a drained host changes nothing.
 */
export function drainHost(command: DrainHost, state: HostState): HostEvent[] {
  requirePlatformAdmin(command.roles, 'drain a host');
  requireHost(state, command.hostId);
  if (state.drained) return [];
  return [{ type: 'HostDrained', data: hostFact(state, command.at) }];
}
