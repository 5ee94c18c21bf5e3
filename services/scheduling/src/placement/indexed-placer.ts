import { matchesConstraint } from './constraints';
import { acceptsWork, fits, openToTenant } from './filters';
import { HostTable, type HostClass } from './host-table';
import { decisionFrom } from './reasons';
import { assertPlacementRequest, strategyOf, wantsAntiAffinity } from './request';
import { ScoreCache } from './score-cache';
import { fitTotal, scoreFromTotal } from './scoring';
import { emptyTally, hasMoreFree, type PlacementTally } from './tally';
import type { HostView, PlacementDecision, PlacementRequest, Placer, ReplicaCounts, Resources } from './types';

/**
 * The placer the scheduler uses: the reference placer's decisions (same filters, same
 * scores, same tie-break, same tally, hence the same reasons), made faster by
 *
 * - classes: environment, status, dedication and constraints are decided once per
 *   class of identical hosts, and their counts added per class (`host-table.ts`);
 * - a tight scan over flat arrays for the resources and score stages of the hosts left;
 * - scores cached per host and request size until the host changes (`score-cache.ts`).
 *
 * It still visits every host that passes the class filters, which is what keeps every
 * count in the reason exact. Measured: `bench/scheduling/placement.ts`.
 */
export class IndexedPlacer implements Placer {
  private readonly table = new HostTable();
  private readonly scores = new ScoreCache();
  /** Replicas of the current request's service per slot; all zero between placements. */
  private readonly replicaMarks: number[] = [];

  constructor(hosts: Iterable<HostView> = []) {
    for (const host of hosts) {
      if (this.table.slot(host.hostId) !== undefined) throw new Error(`duplicate host ${host.hostId}`);
      this.upsertHost(host);
    }
  }

  place(request: PlacementRequest, replicas?: ReplicaCounts): PlacementDecision {
    assertPlacementRequest(request);
    const table = this.table;
    const constraints = request.constraints ?? [];
    const tally = emptyTally(constraints.length);
    tally.total = table.size;
    const environment = table.environments.get(request.environmentId);
    tally.filtered.environment = table.size - (environment?.hostCount ?? 0);
    if (!environment) return decisionFrom(tally, request);

    const open: HostClass[] = [];
    for (const hostClass of environment.classes) {
      if (this.passesClassFilters(hostClass, request, tally)) open.push(hostClass);
    }
    const marked = wantsAntiAffinity(request) && replicas ? this.markReplicas(replicas) : [];
    try {
      this.scan(open, request, tally);
    } finally {
      for (const slot of marked) this.replicaMarks[slot] = 0;
    }
    if (tally.candidates === 0) this.findMostFree(open, tally);
    return decisionFrom(tally, request);
  }

  allocate(hostId: string, resources: Resources): void {
    this.table.adjust(hostId, resources, 1);
  }

  release(hostId: string, resources: Resources): void {
    this.table.adjust(hostId, resources, -1);
  }

  upsertHost(host: HostView): void {
    this.table.upsert(host);
    while (this.replicaMarks.length < this.table.slotCount) this.replicaMarks.push(0);
  }

  removeHost(hostId: string): void {
    this.table.remove(hostId);
  }

  /** Status, dedicated and constraints for a whole class, counted as the reference counts them per host. */
  private passesClassFilters(hostClass: HostClass, request: PlacementRequest, tally: PlacementTally): boolean {
    const hosts = hostClass.slots.length;
    if (!acceptsWork(hostClass.status)) {
      tally.filtered.status += hosts;
      if (hostClass.status === 'down') tally.down += hosts;
      else tally.draining += hosts;
      return false;
    }
    if (!openToTenant(hostClass.dedicatedTenantId, request)) {
      tally.filtered.dedicated += hosts;
      if (hostClass.dedicatedTenantId) tally.dedicatedToOthers += hosts;
      else tally.shared += hosts;
      return false;
    }
    const constraints = request.constraints ?? [];
    let passes = true;
    for (let i = 0; i < constraints.length; i++) {
      if (!matchesConstraint(hostClass.labels, constraints[i])) {
        tally.constraintFailures[i] += hosts;
        passes = false;
      }
    }
    if (!passes) tally.filtered.constraints += hosts;
    return passes;
  }

  private markReplicas(replicas: ReplicaCounts): number[] {
    const marked: number[] = [];
    for (const [hostId, count] of replicas) {
      const slot = this.table.slot(hostId);
      if (slot === undefined) continue;
      this.replicaMarks[slot] = count;
      marked.push(slot);
    }
    return marked;
  }

  /** The resources filter, soft anti-affinity and the score, over the hosts of the open classes. */
  private scan(open: readonly HostClass[], request: PlacementRequest, tally: PlacementTally): void {
    const { freeCpu, freeMem, capCpu, capMem, allocCpu, allocMem, version } = this.table;
    const ranks = this.table.hostRanks();
    const marks = this.replicaMarks;
    const strategy = strategyOf(request);
    const resources = request.resources;
    const cpus = resources.cpus;
    const memoryMb = resources.memoryMb;
    const cache = this.scores.forSize(resources, this.table.slotCount);
    const { totals, versions } = cache;

    let rejected = 0;
    let lackingCpu = 0;
    let lackingMemory = 0;
    let fitting = 0;
    let fewest = Infinity;
    let candidates = 0;
    let best = -1;
    let bestScore = -Infinity;
    for (const hostClass of open) {
      const slots = hostClass.slots;
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i];
        const cpuFits = fits(freeCpu[slot], cpus);
        const memoryFits = fits(freeMem[slot], memoryMb);
        if (!cpuFits || !memoryFits) {
          rejected++;
          if (!cpuFits) lackingCpu++;
          if (!memoryFits) lackingMemory++;
          continue;
        }
        fitting++;
        const replicasHere = marks[slot];
        if (replicasHere > fewest) continue;
        if (replicasHere < fewest) {
          fewest = replicasHere;
          candidates = 0;
          best = -1;
        }
        candidates++;
        if (versions[slot] !== version[slot]) {
          totals[slot] = fitTotal(
            { cpus: capCpu[slot], memoryMb: capMem[slot] },
            { cpus: allocCpu[slot], memoryMb: allocMem[slot] },
            resources,
          );
          versions[slot] = version[slot];
        }
        const score = scoreFromTotal(strategy, totals[slot]);
        if (best < 0 || score > bestScore || (score === bestScore && ranks[slot] < ranks[best])) {
          best = slot;
          bestScore = score;
        }
      }
    }
    tally.filtered.resources = rejected;
    tally.lackingCpu = lackingCpu;
    tally.lackingMemory = lackingMemory;
    tally.filtered.antiAffinity = fitting - candidates;
    tally.candidates = candidates;
    tally.fewestReplicas = candidates > 0 ? fewest : 0;
    if (best >= 0) {
      tally.best = {
        hostId: this.table.hostIds[best],
        free: { cpus: freeCpu[best], memoryMb: freeMem[best] },
        capacity: { cpus: capCpu[best], memoryMb: capMem[best] },
        score: bestScore,
      };
    }
  }

  /** For the "largest free" of a resources failure: a second pass, only when nothing fit. */
  private findMostFree(open: readonly HostClass[], tally: PlacementTally): void {
    const { hostIds, freeCpu, freeMem, capCpu, capMem } = this.table;
    for (const hostClass of open) {
      for (const slot of hostClass.slots) {
        const host = {
          hostId: hostIds[slot],
          free: { cpus: freeCpu[slot], memoryMb: freeMem[slot] },
          capacity: { cpus: capCpu[slot], memoryMb: capMem[slot] },
        };
        if (hasMoreFree('cpus', host, tally.mostFreeCpu)) tally.mostFreeCpu = host;
        if (hasMoreFree('memoryMb', host, tally.mostFreeMemory)) tally.mostFreeMemory = host;
      }
    }
  }
}
