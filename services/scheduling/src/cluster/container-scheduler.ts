import { randomUUID } from 'node:crypto';
import {
  CONTAINER_DEFAULTS,
  type ContainerTemplateV1,
  type PlacementConstraint,
  SHARED_POOL_ENVIRONMENT_ID,
  type ServiceTemplateData,
} from '@caas/contracts';
import { type CommandContext, handleCommand } from '@caas/domain';
import { type EventStore, streamName } from '@caas/event-store';
import { containerDecider } from '../container/container.decider';
import { type ContainerState, containerStream } from '../container/container.events';
import type { LabelConstraint, NotPlaced, PlacementRequest } from '../placement';
import { applySecurityPolicy } from '../policy';
import type { ClusterState } from './cluster-state';

export interface ScheduleRequest {
  readonly tenantId: string;
  readonly environmentId: string;
  readonly containerId: string;
  readonly serviceId?: string;
  readonly replica?: number;
  /** A CreateContainerV1, or a service revision's template. */
  readonly template: ContainerTemplateV1 | ServiceTemplateData;
  readonly context: CommandContext;
  readonly at: string;
}

export type ScheduleOutcome =
  | { readonly placed: true; readonly container: ContainerState }
  | { readonly placed: false; readonly failure: NotPlaced; readonly constraint: PlacementConstraint };

/**
 * Places a container and records it: placement → host ports → security policy →
 * ScheduleContainer (PlacementDecided, ContainerScheduled and the private spec in one
 * append). One at a time per process, and the outcome is applied to the cluster state
 * before the next starts, so two placements never both count the same free CPU or port.
 * When nothing fits, PlacementFailed is recorded on `placement-<containerId>` and the
 * outcome names the constraint; nothing else is written.
 */
export class ContainerScheduler {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly cluster: ClusterState,
  ) {}

  /**
   * Runs `work` alone: no other placement (nor quota check made through here) runs
   * until it settles. Quota checks and the schedules they allow go in one `exclusive`.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  schedule(request: ScheduleRequest): Promise<ScheduleOutcome> {
    return this.exclusive(() => this.scheduleExclusively(request));
  }

  /** `schedule`, for a caller already inside `exclusive`. */
  async scheduleExclusively(request: ScheduleRequest): Promise<ScheduleOutcome> {
    const { template, tenantId, containerId, serviceId, replica } = request;
    const placementRequest = placementRequestOf(request, this.poolOf(request.environmentId));
    const decision = this.cluster.placement.place(placementRequest, this.replicaCounts(serviceId));
    if (!decision.placed) return this.recordFailure(request, placementRequest, decision);

    const { hostId } = decision;
    const allocatedPorts = this.cluster.placement.freePorts(
      hostId,
      (template.ports ?? []).map((port) => ({
        containerPort: port.containerPort,
        protocol: port.protocol ?? CONTAINER_DEFAULTS.protocol,
      })),
    );
    // A service's replicas are restarted by replacing them (as Swarm does), never by their
    // engine: an engine restarting a crashed replica behind the planner's back would hide
    // the crash from the rollout and from the replica count.
    const effective = serviceId ? { ...template, restartPolicy: 'no' as const } : template;
    const spec = applySecurityPolicy(effective as ContainerTemplateV1, {
      tenantId,
      containerId,
      serviceId,
      replica,
      hostId,
      allocatedPorts,
      hostIp: this.cluster.placement.addressOf(hostId),
    });
    const stream = containerStream(containerId);
    const result = await handleCommand(
      this.store,
      containerDecider,
      stream,
      {
        kind: 'ScheduleContainer',
        tenantId,
        containerId,
        environmentId: request.environmentId,
        serviceId,
        replica,
        placement: {
          hostId,
          reason: decision.reason,
          score: decision.score,
          candidates: decision.candidates,
          strategy: decision.strategy,
        },
        spec,
        labels: template.labels ?? {},
        at: request.at,
      },
      request.context,
    );
    this.cluster.apply('container', containerId, result.state, result.nextExpectedRevision);
    return { placed: true, container: result.state };
  }

  /**
   * Where an environment's containers run: on the hosts registered for it, when it has
   * any (an environment with its own hosts); otherwise on the platform's shared pool.
   */
  private poolOf(environmentId: string): string {
    for (const { state } of this.cluster.hosts.values()) {
      if (state.lifecycle === 'registered' && state.environmentId === environmentId) return environmentId;
    }
    return SHARED_POOL_ENVIRONMENT_ID;
  }

  private replicaCounts(serviceId: string | undefined): Map<string, number> {
    const counts = new Map<string, number>();
    if (!serviceId) return counts;
    for (const replica of this.cluster.replicasOf(serviceId)) {
      if (replica.desired === 'deleted') continue;
      counts.set(replica.hostId, (counts.get(replica.hostId) ?? 0) + 1);
    }
    return counts;
  }

  private async recordFailure(
    request: ScheduleRequest,
    placementRequest: PlacementRequest,
    failure: NotPlaced,
  ): Promise<ScheduleOutcome> {
    const constraint = constraintOf(failure);
    const { cpus, memoryMb } = placementRequest.resources;
    await this.store.appendToStream(streamName('placement', request.containerId), [
      {
        id: randomUUID(),
        type: 'PlacementFailed',
        data: {
          tenantId: request.tenantId,
          environmentId: request.environmentId,
          containerId: request.containerId,
          serviceId: request.serviceId ?? null,
          replica: request.replica ?? null,
          strategy: placementRequest.strategy ?? 'spread',
          resources: { cpus, memoryMb, pidsLimit: request.template.resources.pidsLimit ?? 0 },
          at: request.at,
          failedConstraint: constraint,
          reason: failure.reason,
        },
        metadata: { schemaVersion: 1, ...withoutCommandId(request.context), command: 'ScheduleContainer' },
      },
    ]);
    return { placed: false, failure, constraint };
  }
}

/** The contract's name for the filter that left no host. */
function constraintOf(failure: NotPlaced): PlacementConstraint {
  switch (failure.failedConstraint) {
    case 'environment':
      return failure.filtered.environment > 0 ? 'environment' : 'no-hosts';
    case 'status':
      return 'no-hosts';
    case 'dedicated':
    case 'constraints':
      return failure.failedConstraint;
    case 'resources':
      // The reason counts hosts lacking each; cpu is named when any lacks it.
      return /[1-9]\d* lack cpu/.test(failure.reason) ? 'cpus' : 'memory';
  }
}

function placementRequestOf(request: ScheduleRequest, pool: string): PlacementRequest {
  const { template } = request;
  return {
    tenantId: request.tenantId,
    environmentId: pool,
    serviceId: request.serviceId,
    resources: { cpus: template.resources.cpus, memoryMb: template.resources.memoryMb },
    constraints: (template.constraints ?? []).map((selector): LabelConstraint =>
      selector.op === 'exists'
        ? { key: selector.key, op: 'exists' }
        : { key: selector.key, op: selector.op, value: selector.value ?? '' },
    ),
    strategy: template.strategy ?? CONTAINER_DEFAULTS.strategy,
  };
}

function withoutCommandId(context: CommandContext) {
  const { commandId: _commandId, ...who } = context;
  return who;
}
