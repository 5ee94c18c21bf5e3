import type { ContainerStopReason } from '@caas/contracts';
import type { ContainerEvent, ContainerState } from './container.events';
import { type ContainerCommandBase, containerFact, requireLive } from './container.guards';

export interface StopContainer extends ContainerCommandBase {
  readonly kind: 'StopContainer';
  /** Seconds between SIGTERM and SIGKILL; the engine's default when absent. */
  readonly timeoutSeconds?: number;
  /** `requested` (the tenant) unless the platform stops it, e.g. `host-drained`. */
  readonly reason?: ContainerStopReason;
}

/** Wants it stopped; stopping a container that is to be stopped changes nothing. */
export function stopContainer(command: StopContainer, state: ContainerState): ContainerEvent[] {
  requireLive(state, command);
  if (state.desired === 'stopped') return [];
  return [
    {
      type: 'ContainerStopRequested',
      data: {
        ...containerFact(state, command.at),
        reason: command.reason ?? 'requested',
        timeoutSeconds: command.timeoutSeconds ?? null,
      },
    },
  ];
}
