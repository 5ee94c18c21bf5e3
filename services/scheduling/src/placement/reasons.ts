import { describeConstraint } from './constraints';
import { FILTER_ORDER } from './filters';
import { strategyOf } from './request';
import type { HostFreeCapacity, PlacementTally } from './tally';
import type { FilterName, NotPlaced, PlacementDecision, PlacementRequest } from './types';

/**
 * Turns a tally into the decision, with the reason an operator reads in the
 * `ContainerScheduled` event or in the API error. Reasons name hosts, counts and
 * amounts, so "why there?" and "why nowhere?" are answered without a debugger.
 */
export function decisionFrom(tally: PlacementTally, request: PlacementRequest): PlacementDecision {
  const filtered = { ...tally.filtered };
  const best = tally.best;
  if (tally.candidates > 0 && best) {
    const strategy = strategyOf(request);
    const why = strategy === 'spread' ? 'had the most free capacity' : 'was the fullest host that fits';
    return {
      placed: true,
      hostId: best.hostId,
      score: best.score,
      strategy,
      candidates: tally.candidates,
      filtered,
      reason:
        `${strategy}: ${best.hostId} ${why} (${freeText(best)}; score ${best.score.toFixed(3)}) ` +
        `among ${count(tally.candidates, 'candidate')}` +
        filteredText(tally) +
        antiAffinityText(tally, request),
    };
  }
  const failedConstraint = failedFilter(tally);
  return { placed: false, failedConstraint, filtered, reason: failureText(failedConstraint, tally, request) };
}

/** The filter after which no host was left. */
function failedFilter(tally: PlacementTally): NotPlaced['failedConstraint'] {
  let remaining = tally.total;
  for (const name of FILTER_ORDER) {
    if (name === 'antiAffinity') break;
    remaining -= tally.filtered[name];
    if (remaining <= 0) return name;
  }
  // Unreachable with a consistent tally: with no candidate, the resources filter took the last host.
  return 'resources';
}

function failureText(filter: NotPlaced['failedConstraint'], tally: PlacementTally, request: PlacementRequest): string {
  const env = `environment ${request.environmentId}`;
  const reaching = remainingBefore(filter, tally);
  switch (filter) {
    case 'environment':
      return tally.total === 0
        ? `no host is registered (in environment ${request.environmentId} or any other)`
        : `no host is registered in ${env} (${count(tally.total, 'host')} in other environments)`;
    case 'status':
      return `none of the ${count(reaching, 'host')} in ${env} is up (${parts([
        [tally.down, 'down'],
        [tally.draining, 'draining'],
      ])})`;
    case 'dedicated':
      return request.dedicatedOnly
        ? `no up host in ${env} is dedicated to tenant ${request.tenantId} (dedicatedOnly requested; ${parts([
            [tally.shared, 'shared'],
            [tally.dedicatedToOthers, 'dedicated to other tenants'],
          ])})`
        : reaching === 1
          ? `the only up host in ${env} is dedicated to another tenant`
          : `all ${reaching} up hosts in ${env} are dedicated to other tenants`;
    case 'constraints': {
      const failures = (request.constraints ?? [])
        .map((constraint, i) => [tally.constraintFailures[i], describeConstraint(constraint)] as const)
        .filter(([failed]) => failed > 0)
        .map(([failed, text]) => `${text} (fails on ${failed})`);
      return `none of the ${count(reaching, 'up host')} in ${env} usable by tenant ${request.tenantId} satisfies the constraints: ${failures.join(', ')}`;
    }
    case 'resources': {
      const { cpus, memoryMb } = request.resources;
      return (
        `no host in ${env} has ${cpuText(cpus)} and ${num(memoryMb)} MB free: of the ${count(reaching, 'up host')} ` +
        `matching the request, ${tally.lackingCpu} lack cpu and ${tally.lackingMemory} lack memory; ${largestFreeText(tally)}`
      );
    }
  }
}

/** Hosts that reached `filter`: the total less what the filters before it removed. */
function remainingBefore(filter: FilterName, tally: PlacementTally): number {
  let remaining = tally.total;
  for (const name of FILTER_ORDER) {
    if (name === filter) break;
    remaining -= tally.filtered[name];
  }
  return remaining;
}

function largestFreeText({ mostFreeCpu, mostFreeMemory }: PlacementTally): string {
  if (!mostFreeCpu || !mostFreeMemory) return 'no host to compare';
  if (mostFreeCpu.hostId === mostFreeMemory.hostId) {
    return `largest free: ${cpuText(mostFreeCpu.free.cpus)} / ${num(mostFreeCpu.free.memoryMb)} MB on ${mostFreeCpu.hostId}`;
  }
  return (
    `most free cpu: ${cpuText(mostFreeCpu.free.cpus)} (${num(mostFreeCpu.free.memoryMb)} MB) on ${mostFreeCpu.hostId}, ` +
    `most free memory: ${num(mostFreeMemory.free.memoryMb)} MB (${cpuText(mostFreeMemory.free.cpus)}) on ${mostFreeMemory.hostId}`
  );
}

function filteredText(tally: PlacementTally): string {
  const removed = FILTER_ORDER.filter((name) => name !== 'antiAffinity' && tally.filtered[name] > 0).map(
    (name, i) => `${tally.filtered[name]} ${i === 0 ? 'filtered by ' : 'by '}${name}`,
  );
  return removed.length > 0 ? `; ${removed.join(', ')}` : '; none filtered';
}

function antiAffinityText(tally: PlacementTally, request: PlacementRequest): string {
  const setAside = tally.filtered.antiAffinity;
  if (tally.fewestReplicas === 0) {
    return setAside > 0
      ? `; ${setAside} set aside by anti-affinity (already running service ${request.serviceId})`
      : '';
  }
  // Soft anti-affinity had to double up: say so, it is what an operator looks for.
  return (
    `; anti-affinity: every host that fits already runs ${count(tally.fewestReplicas, 'replica')} of service ${request.serviceId}` +
    (setAside > 0 ? ` (${setAside} running more set aside)` : '')
  );
}

function freeText({ free, capacity }: HostFreeCapacity): string {
  return `cpu ${num(free.cpus)}/${num(capacity.cpus)}, mem ${num(free.memoryMb)}/${num(capacity.memoryMb)} MB free`;
}

function parts(items: readonly (readonly [number, string])[]): string {
  return items
    .filter(([n]) => n > 0)
    .map(([n, text]) => `${n} ${text}`)
    .join(', ');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function cpuText(cpus: number): string {
  return `${num(cpus)} ${num(cpus) === '1' ? 'cpu' : 'cpus'}`;
}

/** Amounts to at most 3 decimals: cpu sums like 0.1 + 0.2 print as 0.3. */
function num(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  return String(rounded === 0 ? 0 : rounded);
}
