import { type HostCapacity, conflict, invalid } from '@caas/contracts';
import type { HostEvent, HostState } from './host.events';
import { requirePlatformAdmin } from './host.guards';

export interface RegisterHost {
  readonly kind: 'RegisterHost';
  readonly hostId: string;
  /** The caller's platform roles. */
  readonly roles: readonly string[];
  /** Already validated by RegisterHostV1 (TLS material never reaches the decider or its events). */
  readonly endpoint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly environmentId: string;
  readonly dedicatedTenantId?: string;
  /** Read from the engine by the handler before deciding. */
  readonly capacity: HostCapacity;
  readonly at: string;
}

/** Platform admins only; a host id is used once: registering it again, even after removal, conflicts. */
export function registerHost(command: RegisterHost, state: HostState): HostEvent[] {
  requirePlatformAdmin(command.roles, 'register a host');
  if (state.lifecycle !== 'none') {
    throw conflict(`host '${command.hostId}' is already registered`, {
      hostId: command.hostId,
      status: state.lifecycle,
    });
  }
  const { cpus, memoryMb } = command.capacity;
  if (!(cpus > 0)) throw invalid('capacity.cpus', 'min', 'the engine reports no CPUs: capacity.cpus must be > 0');
  if (!(memoryMb > 0)) {
    throw invalid('capacity.memoryMb', 'min', 'the engine reports no memory: capacity.memoryMb must be > 0');
  }
  return [
    {
      type: 'HostRegistered',
      data: {
        tenantId: null,
        hostId: command.hostId,
        capacity: command.capacity,
        at: command.at,
        endpoint: command.endpoint,
        environmentId: command.environmentId,
        labels: command.labels,
        dedicatedTenantId: command.dedicatedTenantId ?? null,
      },
    },
  ];
}
