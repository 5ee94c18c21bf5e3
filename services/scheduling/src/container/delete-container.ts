import type { ContainerStopReason } from '@caas/contracts';
import type { ContainerEvent, ContainerState } from './container.events';
import { type ContainerCommandBase, containerFact, requireLive } from './container.guards';

export interface DeleteContainer extends ContainerCommandBase {
  readonly kind: 'DeleteContainer';
  readonly timeoutSeconds?: number;
  /** `requested` (the tenant) unless the platform deletes it: `scaled-down`, `rollout`, `host-down`, … */
  readonly reason?: ContainerStopReason;
}

/** Wants it gone: stopped gracefully, then removed (ContainerRemoved follows). */
export function deleteContainer(command: DeleteContainer, state: ContainerState): ContainerEvent[] {
  requireLive(state, command);
  return [
    {
      type: 'ContainerDeleteRequested',
      data: {
        ...containerFact(state, command.at),
        reason: command.reason ?? 'requested',
        timeoutSeconds: command.timeoutSeconds ?? null,
      },
    },
  ];
}
