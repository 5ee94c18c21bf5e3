/**
 * Placement benchmark (issue 4, point 9a): simulated hosts in memory, no I/O.
 *
 *   npm run bench:scheduling:placement   (`npm run bench:scheduling` runs it, then api-to-running.ts)
 *   # = taskset -c 0 node -r @swc-node/register bench/scheduling/placement.ts  (pinned to one core)
 *
 * For spread, then binpack, on the same seeded fleet (5,000 hosts, four machine types,
 * prod and staging, a few down, draining or dedicated) and workload (100,000 containers
 * of mixed sizes, 60 % as service replicas placed with `placeReplicas`, some with label
 * constraints or from tenants with dedicated hosts):
 *
 *   1. the indexed placer (`IndexedPlacer`, what the scheduler uses) on all of it:
 *      decisions/s and the final utilisation;
 *   2. in the same run, on the first BENCH_BASELINE_CONTAINERS containers: the indexed
 *      placer against the reference placer (`ReferencePlacer`, every host through every
 *      filter), checking that their decisions are identical, and a raw loop that only
 *      sums the free capacity of every host (what any full scan costs at the least).
 *
 * Knobs: BENCH_HOSTS, BENCH_CONTAINERS, BENCH_BASELINE_CONTAINERS, BENCH_SEED.
 */
import { isDeepStrictEqual } from 'node:util';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  IndexedPlacer,
  placeReplicas,
  ReferencePlacer,
  type HostView,
  type PlacementDecision,
  type PlacementStrategy,
  type Placer,
} from '../../services/scheduling/src/placement';
import {
  Random,
  simulatedHosts,
  simulatedWorkload,
  type WorkItem,
} from '../../services/scheduling/src/placement/simulated-cluster';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 5_000);
const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 100_000);
const BASELINE_CONTAINERS = Number(process.env.BENCH_BASELINE_CONTAINERS ?? 5_000);
const SEED = Number(process.env.BENCH_SEED ?? 42);
const TARGET = 5_000;

interface Run {
  readonly decisions: PlacementDecision[];
  readonly placed: number;
  readonly failedContainers: number;
  readonly failedBy: Record<string, number>;
  readonly seconds: number;
  readonly rate: number;
}

function main(): void {
  console.log('\nPlacement benchmark (in memory)\n');
  const hosts = simulatedHosts(new Random(SEED), HOSTS);
  describeFleet(hosts);
  const results = (['spread', 'binpack'] as const).map((strategy) => benchmark(strategy, hosts));

  console.log('\nThroughput (decisions/s; a decision is one container placed, or one refusal)\n');
  console.log(
    '| strategy | workload | indexed placer | reference placer (baseline) | ratio | raw scan of free capacity | target |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const { strategy, full, prefix, reference, rawRate } of results) {
    console.log(
      `| ${strategy} | first ${fmt(BASELINE_CONTAINERS)} containers | ${fmt(prefix.rate)}/s | ${fmt(reference.rate)}/s | ` +
        `${(prefix.rate / reference.rate).toFixed(1)} | ${fmt(rawRate)}/s | – |`,
    );
    console.log(
      `| ${strategy} | ${fmt(CONTAINERS)} containers | ${fmt(full.rate)}/s (${full.seconds.toFixed(2)} s) | – | – | – | ` +
        `≥ ${fmt(TARGET)}/s ${full.rate >= TARGET ? '✓' : '✗'} |`,
    );
  }
  console.log('\nFinal utilisation after all containers (allocated / capacity)\n');
  console.log(
    '| strategy | placed | failed (by constraint) | cpu, all hosts | memory, all hosts | cpu, up hosts | memory, up hosts | up hosts empty | up hosts ≥ 90 % cpu |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const { strategy, full, utilisation: u } of results) {
    const failed = Object.entries(full.failedBy)
      .map(([name, n]) => `${name} ${fmt(n)}`)
      .join(', ');
    console.log(
      `| ${strategy} | ${fmt(full.placed)} | ${fmt(full.failedContainers)}${failed ? ` (${failed})` : ''} | ` +
        `${pct(u.all.cpu)} | ${pct(u.all.memory)} | ${pct(u.up.cpu)} | ${pct(u.up.memory)} | ${fmt(u.emptyUp)} | ${fmt(u.fullUp)} |`,
    );
  }
  const identical = results.every((r) => r.identical);
  console.log(
    `\nIndexed and reference placers made ${identical ? 'identical' : 'DIFFERENT'} decisions on the first ` +
      `${fmt(BASELINE_CONTAINERS)} containers of both runs.`,
  );
  console.log(
    `Node ${process.version}, ${availableParallelism()} core(s) available to this process` +
      `${availableParallelism() === 1 ? '' : ' (pin with `taskset -c 0` for one core)'}; placement runs on the main thread.`,
  );
  if (!identical) process.exitCode = 1;
}

function benchmark(strategy: PlacementStrategy, hosts: readonly HostView[]) {
  const work = simulatedWorkload(new Random(SEED + 1), CONTAINERS, strategy);
  if (strategy === 'spread') describeWorkload(work, hosts);
  const prefixWork = firstContainers(work, BASELINE_CONTAINERS);

  const fullPlacer = new IndexedPlacer(hosts);
  const full = run(fullPlacer, work);
  const utilisation = utilisationOf(hosts, work, full.decisions);
  // The comparison runs after the full run, so the indexed placer's code is warm; the
  // reference placer warms up within its own (much longer) run.
  const prefix = run(new IndexedPlacer(hosts), prefixWork);
  const reference = run(new ReferencePlacer(hosts), prefixWork);
  const identical = isDeepStrictEqual(prefix.decisions, reference.decisions);
  const rawRate = rawScan(hosts, prefixWork);
  return { strategy, full, prefix, reference, identical, rawRate, utilisation };
}

/** Places every item (service replicas together, as the scheduler will) and times it. */
function run(placer: Placer, work: readonly WorkItem[]): Run {
  const decisions: PlacementDecision[] = [];
  const failedBy: Record<string, number> = {};
  let placed = 0;
  let failedContainers = 0;
  const started = performance.now();
  for (const { request, replicas } of work) {
    if (replicas === 1) {
      const decision = placer.place(request);
      if (decision.placed) placer.allocate(decision.hostId, request.resources);
      decisions.push(decision);
    } else {
      const result = placeReplicas(placer, request, replicas);
      decisions.push(...result.placements);
      if (result.failure) decisions.push(result.failure);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  // Counted after the clock stops. A service's replicas after its first refusal are not
  // tried (they would be refused for the same reason) but count as failed containers.
  let item = 0;
  let placedOfItem = 0;
  for (const decision of decisions) {
    const { replicas } = work[item];
    if (decision.placed) {
      placed++;
      placedOfItem++;
    } else {
      const failed = replicas - placedOfItem;
      failedContainers += failed;
      failedBy[decision.failedConstraint] = (failedBy[decision.failedConstraint] ?? 0) + failed;
    }
    if (!decision.placed || placedOfItem === replicas) {
      item++;
      placedOfItem = 0;
    }
  }
  return { decisions, placed, failedContainers, failedBy, seconds, rate: decisions.length / seconds };
}

/**
 * The floor of any placer that looks at every host: per request, one loop over flat
 * arrays that only sums the free capacity of the hosts it would fit on. No filters, no
 * scores, no decision, no allocation.
 */
function rawScan(hosts: readonly HostView[], work: readonly WorkItem[]): number {
  const freeCpu = Float64Array.from(hosts, (h) => h.capacity.cpus - h.allocated.cpus);
  const freeMem = Float64Array.from(hosts, (h) => h.capacity.memoryMb - h.allocated.memoryMb);
  let scans = 0;
  let sink = 0;
  const started = performance.now();
  for (const { request, replicas } of work) {
    const { cpus, memoryMb } = request.resources;
    for (let r = 0; r < replicas; r++, scans++) {
      let cpuSum = 0;
      let memSum = 0;
      for (let i = 0; i < freeCpu.length; i++) {
        if (freeCpu[i] >= cpus && freeMem[i] >= memoryMb) {
          cpuSum += freeCpu[i];
          memSum += freeMem[i];
        }
      }
      sink += cpuSum + memSum;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (sink === -1) console.log(sink); // keeps the loop from being optimised away
  return scans / seconds;
}

function utilisationOf(hosts: readonly HostView[], work: readonly WorkItem[], decisions: readonly PlacementDecision[]) {
  const allocated = new Map(hosts.map((h) => [h.hostId, { cpus: h.allocated.cpus, memoryMb: h.allocated.memoryMb }]));
  let item = 0;
  let placedOfItem = 0;
  for (const decision of decisions) {
    const { request, replicas } = work[item];
    if (decision.placed) {
      const a = allocated.get(decision.hostId)!;
      a.cpus += request.resources.cpus;
      a.memoryMb += request.resources.memoryMb;
      placedOfItem++;
    }
    if (!decision.placed || placedOfItem === replicas) {
      item++;
      placedOfItem = 0;
    }
  }
  const ratio = (subset: readonly HostView[]) => {
    const sum = (f: (h: HostView) => number) => subset.reduce((s, h) => s + f(h), 0);
    return {
      cpu: sum((h) => allocated.get(h.hostId)!.cpus) / sum((h) => h.capacity.cpus),
      memory: sum((h) => allocated.get(h.hostId)!.memoryMb) / sum((h) => h.capacity.memoryMb),
    };
  };
  const up = hosts.filter((h) => h.status === 'up');
  for (const h of hosts) {
    const a = allocated.get(h.hostId)!;
    if (a.cpus > h.capacity.cpus + 1e-6 || a.memoryMb > h.capacity.memoryMb + 1e-6) {
      throw new Error(
        `over-committed ${h.hostId}: ${a.cpus}/${h.capacity.cpus} cpus, ${a.memoryMb}/${h.capacity.memoryMb} MB`,
      );
    }
  }
  return {
    all: ratio(hosts),
    up: ratio(up),
    emptyUp: up.filter((h) => allocated.get(h.hostId)!.cpus === 0).length,
    fullUp: up.filter((h) => allocated.get(h.hostId)!.cpus >= 0.9 * h.capacity.cpus).length,
  };
}

function firstContainers(work: readonly WorkItem[], containers: number): WorkItem[] {
  const prefix: WorkItem[] = [];
  let count = 0;
  for (const item of work) {
    if (count >= containers) break;
    prefix.push(item);
    count += item.replicas;
  }
  return prefix;
}

function describeFleet(hosts: readonly HostView[]): void {
  const by = (f: (h: HostView) => string) =>
    Object.entries(hosts.reduce<Record<string, number>>((n, h) => ({ ...n, [f(h)]: (n[f(h)] ?? 0) + 1 }), {}))
      .sort()
      .map(([k, n]) => `${k} ${fmt(n)}`)
      .join(', ');
  const cpus = hosts.reduce((s, h) => s + h.capacity.cpus, 0);
  const memory = hosts.reduce((s, h) => s + h.capacity.memoryMb, 0);
  console.log(`Fleet: ${fmt(hosts.length)} hosts, ${fmt(cpus)} cpus, ${fmt(memory / 1024)} GB (seed ${SEED})`);
  console.log(`  environments: ${by((h) => h.environmentId)}; status: ${by((h) => h.status)}`);
  console.log(`  sizes: ${by((h) => `${h.capacity.cpus} cpu/${h.capacity.memoryMb / 1024} GB`)}`);
  console.log(`  dedicated to a tenant: ${fmt(hosts.filter((h) => h.dedicatedTenantId).length)}`);
}

function describeWorkload(work: readonly WorkItem[], hosts: readonly HostView[]): void {
  let cpus = 0;
  let memory = 0;
  let replicas = 0;
  let constrained = 0;
  for (const item of work) {
    cpus += item.request.resources.cpus * item.replicas;
    memory += item.request.resources.memoryMb * item.replicas;
    if (item.request.serviceId) replicas += item.replicas;
    if (item.request.constraints) constrained += item.replicas;
  }
  const up = hosts.filter((h) => h.status === 'up');
  const upCpus = up.reduce((s, h) => s + h.capacity.cpus, 0);
  const upMemory = up.reduce((s, h) => s + h.capacity.memoryMb, 0);
  console.log(
    `Workload: ${fmt(CONTAINERS)} containers (${fmt(replicas)} service replicas in ${fmt(work.filter((w) => w.request.serviceId).length)} services, ` +
      `${fmt(constrained)} with label constraints) asking ${fmt(cpus)} cpus (${pct(cpus / upCpus)} of up hosts) ` +
      `and ${fmt(memory / 1024)} GB (${pct(memory / upMemory)})`,
  );
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(1)} %`;
}

main();
