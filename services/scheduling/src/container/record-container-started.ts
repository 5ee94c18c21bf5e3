import type { ContainerEvent, ContainerState } from './container.events';
import { type ContainerCommandBase, containerFact, isStale, requireContainer } from './container.guards';

/** The reconciler saw the engine start it (an event, or a list showing it running). */
export interface RecordContainerStarted extends ContainerCommandBase {
  readonly kind: 'RecordContainerStarted';
}

/** A fact, whatever was desired; nothing when it is already recorded as running, or stale. */
export function recordContainerStarted(command: RecordContainerStarted, state: ContainerState): ContainerEvent[] {
  requireContainer(state, command);
  if (isStale(state, command.at) || state.observed === 'running') return [];
  return [{ type: 'ContainerStarted', data: containerFact(state, command.at) }];
}
