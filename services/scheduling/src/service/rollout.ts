import type { Replica, ServiceState } from './service.events';
import { targetRevision } from './service.events';

/**
 * The rolling-update planner: a pure function of what runs now. The reconciler calls
 * it whenever the service's state changes, starts `startNew` replicas of `target` and
 * stops `stopOld`, and reports what happened (ReplicaStarted / ReplicaStopped, then
 * each new replica's health). It is level-triggered: the same state gives the same
 * step, so calling it again after a restart repeats nothing that was done.
 *
 * With N desired replicas, u = maxUnavailable and s = maxSurge:
 * - Nothing that is not `target`, healthy and within the first N is kept: replicas of
 *   another revision, failed replicas and surplus replicas are all "old".
 * - Old replicas that are not available (starting or failed) are stopped at once:
 *   stopping them costs no availability.
 * - A healthy old replica is stopped only while the healthy replicas left stay ≥ N − u
 *   (with u = 0: only once a healthy new one has taken its place).
 * - New replicas are started while the total stays ≤ N + s and the new ones ≤ N. The
 *   total counts the replicas this step stops, so starting before stopping is safe.
 * The same rules drive a rollback (target = the restored revision) and, when no
 * rollout runs, keep the service at N healthy replicas (target = the stable revision).
 */
export interface RolloutInput {
  readonly desired: number;
  readonly maxUnavailable: number;
  readonly maxSurge: number;
  readonly target: number;
  readonly replicas: readonly Replica[];
}

export interface RolloutStep {
  /** New replicas of `target` to start. */
  readonly startNew: number;
  /** Replicas to stop: other revisions, failed ones, surplus ones. */
  readonly stopOld: readonly string[];
}

const unavailableFirst = (a: Replica, b: Replica): number =>
  Number(a.health === 'healthy') - Number(b.health === 'healthy') || a.id.localeCompare(b.id);

export function nextRolloutStep(input: RolloutInput): RolloutStep {
  const { desired, maxUnavailable, maxSurge, target, replicas } = input;
  const current = replicas.filter((replica) => replica.revision === target && replica.health !== 'failed');
  // Keep the healthy ones first when there are more new replicas than desired.
  const byHealthFirst = [...current].sort((a, b) => -unavailableFirst(a, b));
  const kept = new Set(byHealthFirst.slice(0, desired).map((replica) => replica.id));
  const old = replicas.filter((replica) => !kept.has(replica.id)).sort(unavailableFirst);

  const available = replicas.filter((replica) => replica.health === 'healthy').length;
  let budget = available - Math.max(0, desired - maxUnavailable);
  const stopOld: string[] = [];
  for (const replica of old) {
    if (replica.health !== 'healthy') stopOld.push(replica.id);
    else if (budget > 0) {
      stopOld.push(replica.id);
      budget -= 1;
    }
  }
  const startNew = Math.max(0, Math.min(desired + maxSurge - replicas.length, desired - kept.size));
  return { startNew, stopOld };
}

/** Whether every replica runs `target`, healthy, and there are exactly `desired` of them. */
export function converged(input: Pick<RolloutInput, 'desired' | 'target' | 'replicas'>): boolean {
  return (
    input.replicas.length === input.desired &&
    input.replicas.every((replica) => replica.revision === input.target && replica.health === 'healthy')
  );
}

/** The planner's input for a service: a removed one keeps nothing. */
export function rolloutInputOf(state: ServiceState): RolloutInput {
  const removed = state.status !== 'active';
  return {
    desired: removed ? 0 : state.replicas,
    maxUnavailable: state.update.maxUnavailable,
    maxSurge: removed ? 0 : state.update.maxSurge,
    target: targetRevision(state),
    replicas: Object.values(state.running),
  };
}

/** The next step for a service, from its folded state. */
export const nextStepOf = (state: ServiceState): RolloutStep => nextRolloutStep(rolloutInputOf(state));
