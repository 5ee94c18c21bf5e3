import { conflict, invalid } from '@caas/contracts';
import type { HostEvent, HostState } from './host.events';
import { hostFact, requireHost, requirePlatformAdmin } from './host.guards';

export interface RemoveHost {
  readonly kind: 'RemoveHost';
  readonly hostId: string;
  readonly roles: readonly string[];
  /** Containers the read model still places on this host (any state but removed). */
  readonly containers: number;
  readonly at: string;
}

/** Platform admins only; a host leaves once drained (or down) and empty. */
export function removeHost(command: RemoveHost, state: HostState): HostEvent[] {
  requirePlatformAdmin(command.roles, 'remove a host');
  requireHost(state, command.hostId);
  if (!Number.isInteger(command.containers) || command.containers < 0) {
    throw invalid('containers', 'min', 'containers must be a count (an integer >= 0)');
  }
  if (!state.drained && state.health !== 'down') {
    throw conflict(`host '${command.hostId}' must be drained (or down) before it is removed`, {
      hostId: command.hostId,
      status: 'up',
    });
  }
  if (command.containers > 0) {
    throw conflict(`host '${command.hostId}' still has ${command.containers} container(s)`, {
      hostId: command.hostId,
      containers: command.containers,
    });
  }
  return [{ type: 'HostRemoved', data: hostFact(state, command.at) }];
}
