import type { ContainerEvent, ContainerState } from './container.events';
import { type ContainerCommandBase, containerFact, isStale, requireContainer } from './container.guards';

/** The engine says it exited (`die`), or it vanished from an engine that should run it. */
export interface RecordContainerDied extends ContainerCommandBase {
  readonly kind: 'RecordContainerDied';
  readonly exitCode: number;
  readonly oomKilled: boolean;
}

/**
 * Only a container recorded as running (or not yet seen running: its start may have
 * been missed) can die; otherwise the state already reflects it. An exit the platform
 * asked for (desired stopped or deleted) is a stop, not a death: Docker sends `die`
 * before `stop` for `docker stop`, and monitoring must not alert on what a tenant did.
 */
export function recordContainerDied(command: RecordContainerDied, state: ContainerState): ContainerEvent[] {
  requireContainer(state, command);
  if (isStale(state, command.at) || (state.observed !== 'running' && state.observed !== 'scheduled')) return [];
  const fact = containerFact(state, command.at);
  if (state.desired !== 'running' && state.observed === 'running') {
    return [{ type: 'ContainerStopped', data: { ...fact, reason: state.stopReason ?? 'requested' } }];
  }
  return [{ type: 'ContainerDied', data: { ...fact, exitCode: command.exitCode, oomKilled: command.oomKilled } }];
}
