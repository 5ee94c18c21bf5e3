import type { ContainerStopReason } from '@caas/contracts';
import type { ContainerEvent, ContainerState } from './container.events';
import { type ContainerCommandBase, containerFact, isStale, requireContainer } from './container.guards';

/** The engine stopped it (`stop`), normally because the reconciler asked. */
export interface RecordContainerStopped extends ContainerCommandBase {
  readonly kind: 'RecordContainerStopped';
  /** Defaults to why the stop or delete was asked for, else `requested`. */
  readonly reason?: ContainerStopReason;
}

/** Only a running container stops; one recorded as stopped, exited or removed already reflects it. */
export function recordContainerStopped(command: RecordContainerStopped, state: ContainerState): ContainerEvent[] {
  requireContainer(state, command);
  if (isStale(state, command.at) || state.observed !== 'running') return [];
  const reason = command.reason ?? state.stopReason ?? 'requested';
  return [{ type: 'ContainerStopped', data: { ...containerFact(state, command.at), reason } }];
}
