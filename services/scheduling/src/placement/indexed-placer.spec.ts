import { placeReplicas } from './batch';
import { IndexedPlacer } from './indexed-placer';
import { ReferencePlacer } from './reference-placer';
import { CONTAINER_SIZES, FLEET_MIX, Random, simulatedHosts, type ClusterMix } from './simulated-cluster';
import type { HostView, LabelConstraint, PlacementRequest, Resources } from './types';

/** Harsher than a real fleet, so every filter gets to eliminate the last candidates. */
const MIX: ClusterMix = {
  ...FLEET_MIX,
  environments: [
    ['prod', 60],
    ['staging', 30],
    ['dev', 10],
  ],
  statuses: [
    ['up', 80],
    ['down', 10],
    ['draining', 10],
  ],
  dedicatedShare: 0.15,
  dedicatedTenants: ['t1', 't2', 't3'],
  zones: ['a', 'b'],
  preloadedShare: 0.5,
};

/**
 * The indexed placer is an optimisation of the reference placer, so it must make
 * exactly its decisions: same host, score, counts and reason, on random clusters where
 * hosts come, go, change status and labels while containers are placed and released.
 */
describe('IndexedPlacer makes the reference placer’s decisions', () => {
  const outcomes = new Set<string>();
  let compared = 0;

  it.each([
    [1, 20, 400],
    [2, 60, 400],
    [3, 5, 300],
    [4, 150, 600],
    [5, 400, 1_500],
    [6, 1, 100],
  ])('seed %d: %d hosts, %d operations', (seed, hostCount, operations) => {
    const random = new Random(seed);
    const hosts = renamed(random, simulatedHosts(random, hostCount, MIX));
    const reference = new ReferencePlacer(hosts);
    const indexed = new IndexedPlacer(hosts);
    const world = new World(random, hosts);

    for (let step = 0; step < operations; step++) {
      const op = random.next();
      if (op < 0.65) {
        const { request, replicas } = world.request();
        const expected = reference.place(request, replicas);
        expect(indexed.place(request, replicas)).toEqual(expected);
        compared++;
        outcomes.add(expected.placed ? `placed by ${expected.strategy}` : `failed on ${expected.failedConstraint}`);
        if (expected.placed) {
          if (/anti-affinity: every host/.test(expected.reason)) outcomes.add('anti-affinity doubled up');
          reference.allocate(expected.hostId, request.resources);
          indexed.allocate(expected.hostId, request.resources);
          world.placed(expected.hostId, request);
        }
      } else if (op < 0.75) {
        const { request } = world.request();
        const count = 1 + random.int(6);
        const expected = placeReplicas(reference, request, count);
        expect(placeReplicas(indexed, request, count)).toEqual(expected);
        compared += expected.placements.length + (expected.failure ? 1 : 0);
        for (const { hostId } of expected.placements) world.placed(hostId, request);
      } else if (op < 0.87) {
        const released = world.release();
        if (released) {
          reference.release(released.hostId, released.resources);
          indexed.release(released.hostId, released.resources);
        }
      } else {
        const change = world.changeHost(reference);
        if (change.kind === 'remove') {
          reference.removeHost(change.hostId);
          indexed.removeHost(change.hostId);
        } else {
          reference.upsertHost(change.host);
          indexed.upsertHost(change.host);
        }
      }
    }
  });

  it('compared thousands of decisions, of every kind', () => {
    expect(compared).toBeGreaterThan(3_000);
    expect([...outcomes].sort()).toEqual([
      'anti-affinity doubled up',
      'failed on constraints',
      'failed on dedicated',
      'failed on environment',
      'failed on resources',
      'failed on status',
      'placed by binpack',
      'placed by spread',
    ]);
  });
});

/** Random hostIds, so that hostId order (the tie-break) is unrelated to the order hosts were added in. */
function renamed(random: Random, hosts: HostView[]): HostView[] {
  return hosts.map((host, i) => ({
    ...host,
    hostId: `${random.pick(['h', 'host-', 'node-', 'H'])}${random.int(1000)}-${i}`,
  }));
}

/** The test's own record of what runs where, to make up requests, replicas and releases. */
class World {
  private readonly running: { hostId: string; serviceId?: string; resources: Resources }[] = [];
  private readonly services = ['svc-a', 'svc-b', 'svc-c', 'svc-d'];
  private nextHost = 0;

  constructor(
    private readonly random: Random,
    private readonly hosts: HostView[],
  ) {}

  request(): { request: PlacementRequest; replicas?: Map<string, number> } {
    const random = this.random;
    const serviceId = random.chance(0.5) ? random.pick(this.services) : undefined;
    const [cpus, memoryMb] = random.chance(0.1)
      ? [random.int(40) / 10, random.int(64) * 256]
      : random.weighted(CONTAINER_SIZES);
    const request: PlacementRequest = {
      tenantId: random.pick(['t1', 't2', 't3', 't4']),
      environmentId: random.chance(0.03) ? 'nowhere' : random.weighted(MIX.environments),
      serviceId,
      resources: { cpus, memoryMb },
      constraints: this.constraints(),
      strategy: random.pick(['spread', 'binpack', undefined]),
      antiAffinity: random.chance(0.1) ? false : undefined,
      dedicatedOnly: random.chance(0.1) ? true : undefined,
    };
    if (!serviceId) return { request };
    const replicas = new Map<string, number>();
    for (const container of this.running) {
      if (container.serviceId === serviceId) replicas.set(container.hostId, (replicas.get(container.hostId) ?? 0) + 1);
    }
    // Replicas on hosts the placer does not know must be ignored.
    if (random.chance(0.1)) replicas.set('gone-host', 1);
    return { request, replicas };
  }

  placed(hostId: string, request: PlacementRequest): void {
    this.running.push({ hostId, serviceId: request.serviceId, resources: request.resources });
  }

  release(): { hostId: string; resources: Resources } | undefined {
    if (this.running.length === 0) return undefined;
    const [container] = this.running.splice(this.random.int(this.running.length), 1);
    return this.hosts.some((host) => host.hostId === container.hostId) ? container : undefined;
  }

  changeHost(reference: ReferencePlacer): { kind: 'remove'; hostId: string } | { kind: 'upsert'; host: HostView } {
    const random = this.random;
    if (random.chance(0.2) || this.hosts.length === 0) {
      const fresh = simulatedHosts(random, 1, MIX)[0];
      const host = { ...fresh, hostId: `new-${this.nextHost++}` };
      this.hosts.push(host);
      return { kind: 'upsert', host };
    }
    const i = random.int(this.hosts.length);
    const current = reference.host(this.hosts[i].hostId)!;
    if (random.chance(0.15)) {
      this.hosts.splice(i, 1);
      return { kind: 'remove', hostId: current.hostId };
    }
    const host: HostView = {
      ...current,
      status: random.weighted(MIX.statuses),
      labels: random.chance(0.5) ? { ...current.labels, zone: random.pick(MIX.zones) } : current.labels,
      dedicatedTenantId: random.chance(0.2) ? random.pick([undefined, 't1', 't2']) : current.dedicatedTenantId,
      environmentId: random.chance(0.1) ? random.weighted(MIX.environments) : current.environmentId,
    };
    this.hosts[i] = host;
    return { kind: 'upsert', host };
  }

  private constraints(): LabelConstraint[] | undefined {
    const random = this.random;
    const constraints: LabelConstraint[] = [];
    if (random.chance(0.2))
      constraints.push({ key: 'zone', op: random.pick(['==', '!='] as const), value: random.pick(MIX.zones) });
    if (random.chance(0.1)) constraints.push({ key: 'disk', op: '==', value: random.pick(['ssd', 'hdd', 'nvme']) });
    if (random.chance(0.05)) constraints.push({ key: 'gpu', op: 'exists' });
    return constraints.length > 0 ? constraints : undefined;
  }
}
