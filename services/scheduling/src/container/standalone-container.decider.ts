import { conflict } from '@caas/contracts';
import type { Decider } from '@caas/domain';
import type { ContainerCommand } from './container.decider';
import { containerDecider } from './container.decider';
import type { ContainerEvent, ContainerState } from './container.events';
import { requireContainer } from './container.guards';

/** The tenant's own desired-state commands on a container. */
export type TenantContainerCommand = Extract<
  ContainerCommand,
  { kind: 'StartContainer' | 'StopContainer' | 'RestartContainer' | 'DeleteContainer' }
>;

/**
 * Starting, stopping or deleting a service's replica directly would fight the
 * reconciler, which keeps the service at its desired count: the tenant scales or
 * updates the service instead. Checked in the decision, on the state the append
 * follows, after the tenant check (another tenant's replica stays not_found).
 * A restart changes no count and is allowed.
 */
export const standaloneContainerDecider: Decider<TenantContainerCommand, ContainerEvent, ContainerState> = {
  initialState: containerDecider.initialState,
  evolve: containerDecider.evolve,
  decide: (command, state) => {
    requireContainer(state, command);
    if (state.serviceId !== null && command.kind !== 'RestartContainer') {
      throw conflict(
        `container ${command.containerId} is replica ${state.replica} of service ${state.serviceId}: ` +
          'scale or update the service',
        { containerId: command.containerId, serviceId: state.serviceId, replica: state.replica },
      );
    }
    return containerDecider.decide(command, state);
  },
};
