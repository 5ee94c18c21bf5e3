import { seededRandom } from '@caas/testing';
import { fold } from '@caas/domain';
import { nextRolloutStep, nextStepOf } from './rollout';
import { serviceDecider, type ServiceCommand } from './service.decider';
import { at, createSpec, owner, platform, serviceId } from './service.decider-fixtures';
import type { Replica, ServiceEvent, ServiceState } from './service.events';

const replica = (id: string, revision: number, health: Replica['health'] = 'healthy'): Replica => ({
  id,
  revision,
  health,
});
const old3 = [replica('a', 1), replica('b', 1), replica('c', 1)];

describe('nextRolloutStep', () => {
  it('u = 0, s = 1: surges one new replica and stops nothing until it is healthy', () => {
    const input = { desired: 3, maxUnavailable: 0, maxSurge: 1, target: 2 };
    expect(nextRolloutStep({ ...input, replicas: old3 })).toEqual({ startNew: 1, stopOld: [] });
    expect(nextRolloutStep({ ...input, replicas: [...old3, replica('n1', 2, 'starting')] })).toEqual({
      startNew: 0,
      stopOld: [],
    });
    expect(nextRolloutStep({ ...input, replicas: [...old3, replica('n1', 2)] })).toEqual({
      startNew: 0,
      stopOld: ['a'],
    });
  });
  it('u = 1, s = 0: stops one old replica first, then replaces it', () => {
    const input = { desired: 3, maxUnavailable: 1, maxSurge: 0, target: 2 };
    expect(nextRolloutStep({ ...input, replicas: old3 })).toEqual({ startNew: 0, stopOld: ['a'] });
    expect(nextRolloutStep({ ...input, replicas: old3.slice(1) })).toEqual({ startNew: 1, stopOld: [] });
  });
  it('u = 1, s = 1: starts one and stops one in the same step', () =>
    expect(nextRolloutStep({ desired: 3, maxUnavailable: 1, maxSurge: 1, target: 2, replicas: old3 })).toEqual({
      startNew: 1,
      stopOld: ['a'],
    }));
  it('stops unavailable old replicas first, at no cost to availability', () =>
    expect(
      nextRolloutStep({
        desired: 3,
        maxUnavailable: 0,
        maxSurge: 1,
        target: 2,
        replicas: [...old3, replica('d', 1, 'starting'), replica('f', 2, 'failed')],
      }),
    ).toEqual({ startNew: 0, stopOld: ['d', 'f'] }));
  it('at rest, replaces a failed replica and retires surplus ones', () => {
    const input = { desired: 3, maxUnavailable: 0, maxSurge: 1, target: 1 };
    expect(nextRolloutStep({ ...input, replicas: [...old3.slice(1), replica('x', 1, 'failed')] })).toEqual({
      startNew: 1,
      stopOld: ['x'],
    });
    expect(nextRolloutStep({ ...input, replicas: old3.slice(1) })).toEqual({ startNew: 1, stopOld: [] });
    expect(nextRolloutStep({ ...input, desired: 2, replicas: [...old3, replica('s', 1, 'starting')] })).toEqual({
      startNew: 0,
      stopOld: ['s', 'a'],
    });
    expect(nextRolloutStep({ ...input, replicas: old3 })).toEqual({ startNew: 0, stopOld: [] });
  });
});

/**
 * A simulated reconciler: it asks the planner for a step, stops and starts what it
 * says (reporting ReplicaStopped / ReplicaStarted to the decider), then lets every
 * starting replica become healthy, fail its health check, or stay starting, at random.
 */
class Simulation {
  history: ServiceEvent[] = [];
  private nextId = 0;
  readonly failedNew = new Set<string>();
  strict = true;

  constructor(private readonly random: () => number) {}

  get state(): ServiceState {
    return fold(serviceDecider, this.history);
  }

  run(command: ServiceCommand): readonly ServiceEvent[] {
    const events = serviceDecider.decide(command, this.state);
    this.history.push(...events);
    return events;
  }

  report(kind: ServiceCommand['kind'], replicaId: string, extra: object = {}): readonly ServiceEvent[] {
    return this.run({ kind, caller: platform, serviceId, at, replicaId, ...extra } as unknown as ServiceCommand);
  }

  /** One planner step; returns what it checked. */
  step(failureRate: (revision: number) => number): void {
    const before = this.state;
    const N = before.status === 'active' ? before.replicas : 0;
    const { maxUnavailable: u, maxSurge: s } = before.update;
    const replicas = Object.values(before.running);
    const healthy = (state: ServiceState) => Object.values(state.running).filter((r) => r.health === 'healthy');
    const availableBefore = healthy(before).length;
    const { startNew, stopOld } = nextStepOf(before);

    // Never more than N + s at once, even when the starts land before the stops.
    if (startNew > 0) expect(replicas.length + startNew).toBeLessThanOrEqual(N + s);
    const target = before.rollout.status === 'rolling' ? before.rollout.target : before.stableRevision;
    for (const id of stopOld) this.report('ReportReplicaStopped', id);
    const afterStops = this.state;
    // Availability ≥ N − u whenever the replicas before the step were.
    if (availableBefore >= N - u) expect(healthy(afterStops).length).toBeGreaterThanOrEqual(N - u);
    if (u === 0) {
      // No healthy old replica goes before a healthy new one has taken its place.
      const healthyOldStopped = stopOld.filter((id) => before.running[id].health === 'healthy').length;
      const healthyNew = healthy(before).filter((r) => r.revision === target).length;
      // Without a scale or a superseding update in between, each one is a new healthy replica.
      if (this.strict) expect(healthyOldStopped).toBeLessThanOrEqual(healthyNew);
      if (availableBefore >= N) expect(healthy(afterStops).length).toBeGreaterThanOrEqual(N);
    }
    for (let i = 0; i < startNew; i += 1) {
      this.nextId += 1;
      this.report('ReportReplicaStarted', `r${String(this.nextId).padStart(4, '0')}`, { revision: target });
    }
    for (const r of Object.values(this.state.running)) {
      if (r.health !== 'starting') continue;
      const roll = this.random();
      if (roll < failureRate(r.revision)) {
        this.failedNew.add(r.id);
        this.report('ReportReplicaUnhealthy', r.id, { reason: 'HTTP 500' });
      } else if (roll < 0.6) this.report('ReportReplicaHealthy', r.id);
    }
  }
}

const FAILURE_RATES = [0, 0, 0.02, 0.1, 0.3];

describe('rolling update, simulated with random health outcomes', () => {
  const seeds = Array.from({ length: 300 }, (_, i) => i + 1);
  const seen = { completed: 0, rolledBack: 0, scaled: 0, superseded: 0, surgeOnly: 0, unavailableOnly: 0 };

  it.each(seeds)('seed %i: keeps its bounds and ends with RolloutCompleted or RolloutRolledBack', (seed) => {
    const random = seededRandom(seed);
    const int = (max: number) => Math.floor(random() * (max + 1));
    const N0 = int(8);
    let u = int(3);
    const s = int(3);
    if (u === 0 && s === 0) u = 1;
    const newFailure = FAILURE_RATES[int(FAILURE_RATES.length - 1)];
    const sim = new Simulation(random);

    sim.run({
      kind: 'CreateService',
      caller: owner,
      serviceId,
      at,
      spec: createSpec(N0, { maxUnavailable: u, maxSurge: s }),
    });
    // Bring revision 1 up: it is healthy.
    for (let i = 0; i < 100 && !stable(sim.state, N0, 1); i += 1) sim.step(() => 0);
    expect(stable(sim.state, N0, 1)).toBe(true);

    const rolloutStart = sim.history.length;
    sim.run({
      kind: 'UpdateService',
      caller: owner,
      serviceId,
      at,
      spec: { serviceId, image: 'registry.example.com/acme/web:2' },
    } as ServiceCommand);
    // Some cases scale or update again in the middle of the rollout.
    const scaleAt = random() < 0.3 ? int(20) : -1;
    const supersedeAt = random() < 0.2 ? int(20) : -1;
    let steps = 0;
    for (; steps < 2_000 && sim.state.rollout.status === 'rolling'; steps += 1) {
      if (steps === scaleAt || steps === supersedeAt) sim.strict = false;
      if (steps === scaleAt) sim.run({ kind: 'ScaleService', caller: owner, serviceId, at, replicas: int(8) });
      if (steps === supersedeAt && sim.state.rollout.status === 'rolling') {
        sim.run({
          kind: 'UpdateService',
          caller: owner,
          serviceId,
          at,
          spec: { serviceId, image: 'registry.example.com/acme/web:3' },
        } as ServiceCommand);
      }
      sim.step((revision) => (revision === 1 ? 0.02 : newFailure));
    }

    expect(steps).toBeLessThan(2_000);
    const outcome = sim.history
      .slice(rolloutStart)
      .filter((e) => e.type.startsWith('Rollout') || e.type === 'ServiceUpdated');
    const state = sim.state;
    expect(state.rollout.status).toBe('idle');
    const last = outcome[outcome.length - 1];
    expect(last.type).toBe('RolloutCompleted');
    // Exactly one completion, last; every rollback names a new replica that failed and restores revision 1.
    expect(outcome.filter((e) => e.type === 'RolloutCompleted')).toHaveLength(1);
    const rollbacks = outcome.flatMap((e) => (e.type === 'RolloutRolledBack' ? [e.data] : []));
    for (const rollback of rollbacks) {
      expect(sim.failedNew.has(rollback.failedReplicaId)).toBe(true);
      expect(rollback.restoredRevision).toBe(1);
    }
    // Ended by a rollback: the restored revision runs; otherwise the latest revision does.
    const endedByRollback = outcome[outcome.length - 2]?.type === 'RolloutRolledBack';
    expect(last.data).toMatchObject({ revision: endedByRollback ? 1 : state.revision });
    if (newFailure === 0 && supersedeAt === -1) expect(rollbacks).toHaveLength(0);

    if (endedByRollback) seen.rolledBack += 1;
    else seen.completed += 1;
    if (scaleAt !== -1 && scaleAt < steps) seen.scaled += 1;
    if (outcome.filter((e) => e.type === 'ServiceUpdated').length > 1) seen.superseded += 1;
    if (u === 0) seen.surgeOnly += 1;
    if (s === 0) seen.unavailableOnly += 1;
    const target = last.type === 'RolloutCompleted' ? last.data.revision : 0;
    expect(stable(state, state.replicas, target)).toBe(true);
  });

  it('covered every kind of case', () => {
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(10);
  });
});

function stable(state: ServiceState, desired: number, revision: number): boolean {
  const replicas = Object.values(state.running);
  return replicas.length === desired && replicas.every((r) => r.revision === revision && r.health === 'healthy');
}
