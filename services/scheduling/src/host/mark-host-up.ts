import { conflict } from '@caas/contracts';
import type { HostEvent, HostState } from './host.events';
import { hostFact, requireHost } from './host.guards';

/** Issued by the heartbeat monitor when a host that was down answers again. */
export interface MarkHostUp {
  readonly kind: 'MarkHostUp';
  readonly hostId: string;
  readonly at: string;
}

/** Only a down host comes back up; it stays drained if it was. */
export function markHostUp(command: MarkHostUp, state: HostState): HostEvent[] {
  requireHost(state, command.hostId);
  if (state.health !== 'down') throw conflict(`host '${command.hostId}' is not down`, { hostId: command.hostId });
  return [{ type: 'HostUp', data: hostFact(state, command.at) }];
}
