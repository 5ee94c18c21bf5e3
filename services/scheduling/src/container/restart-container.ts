import type { ContainerEvent, ContainerState } from './container.events';
import { type ContainerCommandBase, containerFact, requireLive } from './container.guards';

export interface RestartContainer extends ContainerCommandBase {
  readonly kind: 'RestartContainer';
}

/**
 * Wants it stopped (if it runs) and started again; a container not running is just
 * started. A restart already under way changes nothing.
 */
export function restartContainer(command: RestartContainer, state: ContainerState): ContainerEvent[] {
  requireLive(state, command);
  if (state.desired === 'running' && state.startPending && (state.restartPending || state.observed !== 'running')) {
    return [];
  }
  return [{ type: 'ContainerRestartRequested', data: containerFact(state, command.at) }];
}
