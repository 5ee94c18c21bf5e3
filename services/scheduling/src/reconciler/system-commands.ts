import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '@caas/contracts';
import { type CommandContext, handleCommand } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import type { ClusterState } from '../cluster/cluster-state';
import { type ContainerCommand, containerDecider } from '../container/container.decider';
import { type ContainerState, containerStream } from '../container/container.events';
import { type ServiceCommand, serviceDecider } from '../service/service.decider';
import { type ServiceState, serviceStream } from '../service/service.events';
import { nowIso } from '../shared/time';

/** The caller of the reconciler's service reports: the platform, in the service's tenant. */
export const systemCaller = (tenantId: string) => ({ tenantId, actor: SYSTEM_ACTOR, roles: [] as string[] });

/**
 * What the reconciler records, as the platform: observed facts and its own decisions
 * (deleting a replica it replaces). Each outcome is applied to the cluster state at once,
 * so the next round never acts twice on the same step.
 */
export class SystemCommands {
  constructor(
    private readonly store: EventStore,
    private readonly cluster: ClusterState,
    private readonly clock: () => string = nowIso,
  ) {}

  now(): string {
    return this.clock();
  }

  async container(tenantId: string, command: ContainerCommand): Promise<ContainerState> {
    const result = await handleCommand(
      this.store,
      containerDecider,
      containerStream(command.containerId),
      command,
      systemContext(tenantId),
    );
    this.cluster.apply('container', command.containerId, result.state, result.nextExpectedRevision);
    return result.state;
  }

  async service(tenantId: string, command: ServiceCommand): Promise<ServiceState> {
    const result = await handleCommand(
      this.store,
      serviceDecider,
      serviceStream(command.serviceId),
      command,
      systemContext(tenantId),
    );
    this.cluster.apply('service', command.serviceId, result.state, result.nextExpectedRevision);
    return result.state;
  }
}

export function systemContext(tenantId: string | null): CommandContext {
  const correlationId = randomUUID();
  return { tenantId, actor: SYSTEM_ACTOR, correlationId, causationId: correlationId };
}
