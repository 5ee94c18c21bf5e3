import { type ContainerStopReason, conflict } from '@caas/contracts';
import type { ContainerEvent, ContainerState } from './container.events';
import { type ContainerCommandBase, containerFact, isStale, requireContainer } from './container.guards';

/** The reconciler removed it from its engine (or found it already gone there). */
export interface RecordContainerRemoved extends ContainerCommandBase {
  readonly kind: 'RecordContainerRemoved';
  /** Defaults to why the delete was asked for, else `requested`. */
  readonly reason?: ContainerStopReason;
}

/**
 * Final. Only a container whose deletion was asked for is removed: a container its
 * engine lost while it should run is recorded as died, and the reconciler creates it
 * again. Recording it twice changes nothing.
 */
export function recordContainerRemoved(command: RecordContainerRemoved, state: ContainerState): ContainerEvent[] {
  requireContainer(state, command);
  if (state.observed === 'removed') return [];
  if (state.desired !== 'deleted') {
    throw conflict(`container '${command.containerId}' is not being deleted`, {
      containerId: command.containerId,
      desired: state.desired,
    });
  }
  if (isStale(state, command.at)) return [];
  const reason = command.reason ?? state.stopReason ?? 'requested';
  return [{ type: 'ContainerRemoved', data: { ...containerFact(state, command.at), reason } }];
}
