import type { ContainerCommand } from '../container/container.decider';
import type { ContainerState } from '../container/container.events';
import type { ObservedContainer } from '../runtime/docker';

/** Docker's exit code for a container its engine no longer has: it was lost, not exited. */
export const LOST_EXIT_CODE = -1;

/**
 * What the engine shows that the container's stream does not say yet, as the command
 * that records it: it runs (started, perhaps by the engine's restart policy or before a
 * restart of this service), it exited, or it vanished while it should run. Undefined
 * when the stream already says it. `state` must be placed on the host `engine` is from.
 */
export function observedFact(
  state: ContainerState,
  engine: ObservedContainer | undefined,
  at: string,
): ContainerCommand | undefined {
  if (state.lifecycle === 'none' || state.observed === 'removed') return undefined;
  const base = { tenantId: state.tenantId, containerId: state.containerId, at };
  if (!engine) {
    return state.observed === 'running'
      ? { kind: 'RecordContainerDied', ...base, exitCode: LOST_EXIT_CODE, oomKilled: false }
      : undefined;
  }
  switch (engine.state) {
    case 'running':
    case 'restarting':
    case 'paused':
      return state.observed === 'running' ? undefined : { kind: 'RecordContainerStarted', ...base };
    case 'exited':
    case 'dead':
      return state.observed === 'running' || state.observed === 'scheduled'
        ? { kind: 'RecordContainerDied', ...base, exitCode: engine.exitCode, oomKilled: false }
        : undefined;
    case 'created':
    case 'removing':
      return undefined;
  }
}
