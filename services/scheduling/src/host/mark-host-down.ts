import { conflict, invalid } from '@caas/contracts';
import { millisOf } from '../shared/time';
import type { HostEvent, HostState } from './host.events';
import { hostFact, requireHost } from './host.guards';

/** Issued by the heartbeat monitor when a host has not answered for longer than the TTL. */
export interface MarkHostDown {
  readonly kind: 'MarkHostDown';
  readonly hostId: string;
  /** The last successful heartbeat. */
  readonly lastSeenAt: string;
  /** The heartbeat TTL the monitor applied (default 10 s). */
  readonly ttlMs: number;
  readonly at: string;
}

/**
 * Only an up host goes down (a second monitor deciding the same answers conflict,
 * which it can take as done), and only once it really has been silent for the TTL.
 */
export function markHostDown(command: MarkHostDown, state: HostState): HostEvent[] {
  requireHost(state, command.hostId);
  if (state.health !== 'up') throw conflict(`host '${command.hostId}' is already down`, { hostId: command.hostId });
  const silentMs = millisOf(command.at) - millisOf(command.lastSeenAt);
  if (!(command.ttlMs > 0)) throw invalid('ttlMs', 'min', 'ttlMs must be > 0');
  if (!(silentMs > command.ttlMs)) {
    throw invalid(
      'lastSeenAt',
      'ttl',
      `host '${command.hostId}' was last seen ${command.lastSeenAt}, within the ${command.ttlMs} ms TTL`,
    );
  }
  return [{ type: 'HostDown', data: { ...hostFact(state, command.at), lastSeenAt: command.lastSeenAt } }];
}
