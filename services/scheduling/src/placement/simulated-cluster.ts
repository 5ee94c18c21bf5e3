import type { HostStatus, HostView, LabelConstraint, PlacementRequest } from './types';

/**
 * Seeded random clusters and workloads, for the equivalence test and the benchmark:
 * the same seed gives the same hosts and requests on every machine.
 */

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; Math.random cannot be seeded. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let at = this.next() * total;
    for (const [item, weight] of items) {
      at -= weight;
      if (at < 0) return item;
    }
    return items[items.length - 1][0];
  }
}

export interface ClusterMix {
  readonly environments: readonly (readonly [string, number])[];
  /** [cpus, memoryMb] and weight. */
  readonly hostSizes: readonly (readonly [readonly [number, number], number])[];
  readonly statuses: readonly (readonly [HostStatus, number])[];
  /** Share of hosts dedicated to one of `dedicatedTenants`. */
  readonly dedicatedShare: number;
  readonly dedicatedTenants: readonly string[];
  readonly zones: readonly string[];
  /** Share of hosts that already run something (random allocation up to their capacity). */
  readonly preloadedShare: number;
}

/** A fleet: mostly prod, four machine types, a few hosts down, draining or dedicated. */
export const FLEET_MIX: ClusterMix = {
  environments: [
    ['prod', 80],
    ['staging', 20],
  ],
  hostSizes: [
    [[4, 8192], 25],
    [[8, 16384], 35],
    [[16, 65536], 28],
    [[32, 131072], 12],
  ],
  statuses: [
    ['up', 98],
    ['down', 1],
    ['draining', 1],
  ],
  dedicatedShare: 0.03,
  dedicatedTenants: Array.from({ length: 10 }, (_, i) => `tenant-e${i}`),
  zones: ['a', 'b', 'c'],
  preloadedShare: 0,
};

export function simulatedHosts(random: Random, count: number, mix: ClusterMix = FLEET_MIX): HostView[] {
  const width = String(count - 1).length;
  return Array.from({ length: count }, (_, i): HostView => {
    const [cpus, memoryMb] = random.weighted(mix.hostSizes);
    const labels: Record<string, string> = { zone: random.pick(mix.zones), disk: random.chance(0.6) ? 'ssd' : 'hdd' };
    if (cpus >= 16 && random.chance(0.2)) labels.gpu = 'true';
    const preloaded = random.chance(mix.preloadedShare);
    return {
      hostId: `host-${String(i).padStart(width, '0')}`,
      status: random.weighted(mix.statuses),
      environmentId: random.weighted(mix.environments),
      labels,
      dedicatedTenantId: random.chance(mix.dedicatedShare) ? random.pick(mix.dedicatedTenants) : undefined,
      capacity: { cpus, memoryMb },
      allocated: preloaded
        ? { cpus: random.int(cpus * 10 + 1) / 10, memoryMb: random.int(memoryMb / 256 + 1) * 256, containers: 1 }
        : { cpus: 0, memoryMb: 0, containers: 0 },
    };
  });
}

/** Container sizes [cpus, memoryMb] and weight: mostly small, a few large. */
export const CONTAINER_SIZES: readonly (readonly [readonly [number, number], number])[] = [
  [[0.1, 128], 25],
  [[0.25, 512], 27],
  [[0.5, 1024], 25],
  [[1, 2048], 15],
  [[2, 4096], 6],
  [[4, 16384], 2],
];

/** One item of a workload: a standalone container, or a service's replicas placed together. */
export interface WorkItem {
  readonly request: PlacementRequest;
  readonly replicas: number;
}

/**
 * `containers` containers: about 60 % as replicas of services (2–10 each, anti-affinity
 * on), the rest standalone; some with label constraints, some from tenants with dedicated
 * hosts (a few of them asking for dedicated hosts only).
 */
export function simulatedWorkload(
  random: Random,
  containers: number,
  strategy: PlacementRequest['strategy'],
  mix: ClusterMix = FLEET_MIX,
): WorkItem[] {
  const items: WorkItem[] = [];
  let remaining = containers;
  for (let n = 0; remaining > 0; n++) {
    // A fifth of the items are services of 6 replicas on average: 60 % of the containers.
    const service = random.chance(0.2);
    const replicas = service ? Math.min(remaining, 2 + random.int(9)) : 1;
    remaining -= replicas;
    const [cpus, memoryMb] = random.weighted(CONTAINER_SIZES);
    const enterprise = random.chance(0.05);
    items.push({
      replicas,
      request: {
        tenantId: enterprise ? random.pick(mix.dedicatedTenants) : `tenant-${random.int(500)}`,
        environmentId: random.weighted(mix.environments),
        serviceId: service ? `service-${n}` : undefined,
        resources: { cpus, memoryMb },
        constraints: randomConstraints(random, mix),
        strategy,
        dedicatedOnly: enterprise && random.chance(0.4) ? true : undefined,
      },
    });
  }
  return items;
}

function randomConstraints(random: Random, mix: ClusterMix): LabelConstraint[] | undefined {
  const constraints: LabelConstraint[] = [];
  if (random.chance(0.15)) constraints.push({ key: 'zone', op: '==', value: random.pick(mix.zones) });
  if (random.chance(0.1)) constraints.push({ key: 'disk', op: '==', value: 'ssd' });
  if (random.chance(0.03)) constraints.push({ key: 'disk', op: '!=', value: 'hdd' });
  if (random.chance(0.02)) constraints.push({ key: 'gpu', op: 'exists' });
  return constraints.length > 0 ? constraints : undefined;
}
