import { randomUUID } from 'node:crypto';
import type { ContainerStopReason } from '@caas/contracts';
import type { ClusterState } from '../cluster/cluster-state';
import type { ContainerScheduler } from '../cluster/container-scheduler';
import { nextStepOf } from '../service/rollout';
import { type ServiceState, targetRevision } from '../service/service.events';
import type { Observations } from './host-round';
import { replicaVerdict } from './replica-health';
import { type SystemCommands, systemCaller, systemContext } from './system-commands';

export interface ServiceControllerDeps {
  readonly cluster: ClusterState;
  readonly commands: SystemCommands;
  readonly scheduler: ContainerScheduler;
  readonly observations: Observations;
  readonly onError: (error: unknown) => void;
  /** After a replica could not be placed, wait this long before trying again (default 10 s). */
  readonly placementRetryMs?: number;
  readonly clock?: () => number;
}

/**
 * Drives every service towards its planner's step: reports what its replicas did
 * (healthy, failed, gone), replaces replicas on hosts that are down or drained and
 * replicas that crashed, then stops the replicas the step retires and starts the ones it
 * asks for. A new replica is reported started (service stream) before its container is
 * scheduled: a crash in between leaves a replica without a container, which the next
 * round reports stopped and replaces — never a container the service does not count.
 */
export class ServiceController {
  private readonly retryAfter = new Map<string, number>();

  constructor(private readonly deps: ServiceControllerDeps) {}

  async round(): Promise<void> {
    for (const { state } of [...this.deps.cluster.services.values()]) {
      if (state.status === 'none' || (state.status === 'removed' && Object.keys(state.running).length === 0)) continue;
      await this.reconcile(state.serviceId).catch((error: unknown) => this.deps.onError(error));
    }
  }

  private async reconcile(serviceId: string): Promise<void> {
    await this.reportReplicas(serviceId);
    const state = this.service(serviceId);
    const step = nextStepOf(state);
    for (const replicaId of step.stopOld) await this.retire(state, replicaId, stopReason(state, replicaId));
    if (step.startNew > 0) await this.startReplicas(serviceId, step.startNew);
  }

  private async reportReplicas(serviceId: string): Promise<void> {
    const { cluster, observations } = this.deps;
    for (const replica of Object.values(this.service(serviceId).running)) {
      const container = cluster.container(replica.id);
      const verdict = replicaVerdict({
        replica,
        container,
        host: container ? cluster.host(container.hostId) : undefined,
        engine: observations.containers.get(replica.id),
        createFailure: observations.createFailures.get(replica.id),
      });
      const state = this.service(serviceId);
      const report = { caller: systemCaller(state.tenantId), serviceId, replicaId: replica.id, at: this.now() };
      switch (verdict.kind) {
        case 'none':
          break;
        case 'healthy':
          await this.deps.commands.service(state.tenantId, { kind: 'ReportReplicaHealthy', ...report });
          break;
        case 'unhealthy':
          await this.deps.commands.service(state.tenantId, {
            kind: 'ReportReplicaUnhealthy',
            ...report,
            reason: verdict.reason,
          });
          break;
        case 'stopped':
          await this.deps.commands.service(state.tenantId, { kind: 'ReportReplicaStopped', ...report });
          break;
        case 'replace':
          await this.retire(state, replica.id, verdict.reason);
          break;
      }
    }
  }

  /** Deletes the replica's container (the host round stops and removes it) and reports it gone. */
  private async retire(state: ServiceState, replicaId: string, reason: ContainerStopReason): Promise<void> {
    const { commands, cluster } = this.deps;
    const container = cluster.container(replicaId);
    if (container && container.lifecycle === 'scheduled' && container.desired !== 'deleted') {
      await commands.container(state.tenantId, {
        kind: 'DeleteContainer',
        tenantId: state.tenantId,
        containerId: replicaId,
        reason,
        at: this.now(),
      });
    }
    await commands.service(state.tenantId, {
      kind: 'ReportReplicaStopped',
      caller: systemCaller(state.tenantId),
      serviceId: state.serviceId,
      replicaId,
      at: this.now(),
    });
  }

  private async startReplicas(serviceId: string, count: number): Promise<void> {
    const { clock = Date.now } = this.deps;
    if ((this.retryAfter.get(serviceId) ?? 0) > clock()) return;
    for (let started = 0; started < count; started++) {
      if (!(await this.startReplica(serviceId))) {
        this.retryAfter.set(serviceId, clock() + (this.deps.placementRetryMs ?? 10_000));
        return;
      }
    }
    this.retryAfter.delete(serviceId);
  }

  private async startReplica(serviceId: string): Promise<boolean> {
    const { commands, scheduler } = this.deps;
    const state = this.service(serviceId);
    const revision = targetRevision(state);
    const replicaId = randomUUID();
    const report = { caller: systemCaller(state.tenantId), serviceId, replicaId };
    await commands.service(state.tenantId, { kind: 'ReportReplicaStarted', ...report, revision, at: this.now() });
    const outcome = await scheduler.schedule({
      tenantId: state.tenantId,
      environmentId: state.environmentId,
      containerId: replicaId,
      serviceId,
      replica: this.freeSlot(serviceId),
      template: state.templates[revision],
      context: systemContext(state.tenantId),
      at: this.now(),
    });
    if (outcome.placed) return true;
    await commands.service(state.tenantId, { kind: 'ReportReplicaStopped', ...report, at: this.now() });
    return false;
  }

  /** The lowest replica slot no live container of the service holds: a replacement takes the slot it replaces. */
  private freeSlot(serviceId: string): number {
    const taken = new Set(
      this.deps.cluster
        .replicasOf(serviceId)
        .filter((container) => container.desired !== 'deleted')
        .map((container) => container.replica),
    );
    let slot = 0;
    while (taken.has(slot)) slot++;
    return slot;
  }

  private service(serviceId: string): ServiceState {
    const state = this.deps.cluster.service(serviceId);
    if (!state) throw new Error(`service ${serviceId} is not in the cluster state`);
    return state;
  }

  private now(): string {
    return this.deps.commands.now();
  }
}

/** Why the planner retires a replica: the service is gone, a rollout replaces it, or there are too many. */
function stopReason(state: ServiceState, replicaId: string): ContainerStopReason {
  if (state.status !== 'active') return 'requested';
  const replica = state.running[replicaId];
  if (!replica || replica.revision === targetRevision(state))
    return replica?.health === 'failed' ? 'replaced' : 'scaled-down';
  return state.rollout.status === 'rolling' && state.rollout.rollingBackFrom !== null ? 'rolled-back' : 'rollout';
}
