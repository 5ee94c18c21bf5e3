import type { ContainerEvent, ContainerState } from './container.events';
import { type ContainerCommandBase, containerFact, requireLive } from './container.guards';

export interface StartContainer extends ContainerCommandBase {
  readonly kind: 'StartContainer';
}

/**
 * Wants it running. A container that runs, or is already to be started, changes
 * nothing; one that stopped or died is started again.
 */
export function startContainer(command: StartContainer, state: ContainerState): ContainerEvent[] {
  requireLive(state, command);
  if (state.desired === 'running' && (state.startPending || state.observed === 'running')) return [];
  return [{ type: 'ContainerStartRequested', data: containerFact(state, command.at) }];
}
