import { invalid, notFound } from '@caas/contracts';
import { withCompletion } from './rollout-outcome';
import { requireSystem, type ServiceCaller } from './service-access';
import type { ServiceCommandBase } from './service-command';
import type { Replica, ServiceEvent, ServiceState } from './service.events';

/** Facts the reconciler reports about one replica of a service. */
interface ReplicaReport extends ServiceCommandBase {
  readonly replicaId: string;
}

/** A replica was started from template revision `revision` (acting on a step's `startNew`). */
export interface ReportReplicaStarted extends ReplicaReport {
  readonly kind: 'ReportReplicaStarted';
  readonly revision: number;
}
export interface ReportReplicaHealthy extends ReplicaReport {
  readonly kind: 'ReportReplicaHealthy';
}
export interface ReportReplicaUnhealthy extends ReplicaReport {
  readonly kind: 'ReportReplicaUnhealthy';
  readonly reason: string;
}
/** Gone: stopped by a step's `stopOld`, or died and removed (the container aggregate's business). */
export interface ReportReplicaStopped extends ReplicaReport {
  readonly kind: 'ReportReplicaStopped';
}

/** Reports come from the platform and name the service's tenant; a removed service still takes starts and stops. */
function requireKnown(state: ServiceState, caller: ServiceCaller, serviceId: string): void {
  requireSystem(caller);
  if (state.status === 'none' || state.tenantId !== caller.tenantId) throw notFound('service', serviceId);
}

function replicaOf(state: ServiceState, replicaId: string): Replica {
  const replica = state.running[replicaId];
  if (!replica) throw notFound('replica', replicaId);
  return replica;
}

export function reportReplicaStarted(command: ReportReplicaStarted, state: ServiceState): ServiceEvent[] {
  const { caller, serviceId, replicaId, revision, at } = command;
  requireKnown(state, caller, serviceId);
  if (state.running[replicaId]) return [];
  if (!state.templates[revision]) throw invalid('revision', 'exists', `service has no revision ${revision}`);
  return [{ type: 'ReplicaStarted', data: { serviceId, replicaId, revision, at } }];
}

export function reportReplicaHealthy(command: ReportReplicaHealthy, state: ServiceState): ServiceEvent[] {
  const { caller, serviceId, replicaId, at } = command;
  requireKnown(state, caller, serviceId);
  const replica = replicaOf(state, replicaId);
  // A failed replica stays failed: it is retired, a flapping check does not bring it back.
  if (state.status !== 'active' || replica.health !== 'starting') return [];
  return withCompletion(state, [{ type: 'ReplicaBecameHealthy', data: { serviceId, replicaId, at } }], at);
}

/**
 * A replica of the revision a forward rollout is moving to failed its health check:
 * the rollout halts and rolls back to the last stable revision, with the same step
 * rules. Any other failure (an old replica, or a replica of the restored revision
 * during a rollback, or outside a rollout) only marks the replica failed: the planner
 * retires it and starts a replacement.
 */
export function reportReplicaUnhealthy(command: ReportReplicaUnhealthy, state: ServiceState): ServiceEvent[] {
  const { caller, serviceId, replicaId, reason, at } = command;
  requireKnown(state, caller, serviceId);
  const replica = replicaOf(state, replicaId);
  if (state.status !== 'active' || replica.health === 'failed') return [];
  const failed: ServiceEvent = { type: 'ReplicaFailedHealthCheck', data: { serviceId, replicaId, reason, at } };
  const { rollout } = state;
  if (rollout.status !== 'rolling' || rollout.rollingBackFrom !== null || replica.revision !== rollout.target) {
    return [failed];
  }
  return [
    failed,
    {
      type: 'RolloutRolledBack',
      data: {
        tenantId: state.tenantId,
        environmentId: state.environmentId,
        serviceId,
        at,
        failedRevision: rollout.target,
        restoredRevision: state.stableRevision,
        reason: `replica ${replicaId} of revision ${rollout.target} failed its health check: ${reason}`,
        failedReplicaId: replicaId,
      },
    },
  ];
}

export function reportReplicaStopped(command: ReportReplicaStopped, state: ServiceState): ServiceEvent[] {
  const { caller, serviceId, replicaId, at } = command;
  requireKnown(state, caller, serviceId);
  if (!state.running[replicaId]) return [];
  return withCompletion(state, [{ type: 'ReplicaStopped', data: { serviceId, replicaId, at } }], at);
}
