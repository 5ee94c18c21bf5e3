import type { HostStatus, HostView, Resources } from './types';

/**
 * Hosts that look the same to the first four filters (environment, status,
 * dedication, labels). Those filters then run once per class instead of once per host,
 * as Nomad does with its computed node classes; a fleet has a few dozen classes, not
 * thousands (labels unique to each host would defeat this, and cost a class per host).
 */
export interface HostClass {
  readonly key: string;
  readonly environmentId: string;
  readonly status: HostStatus;
  readonly dedicatedTenantId: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  /** Slots of its hosts, in no particular order (decisions never depend on it). */
  readonly slots: number[];
}

export interface EnvironmentHosts {
  hostCount: number;
  readonly classes: HostClass[];
}

/**
 * The indexed placer's copy of the hosts: one slot per host, with the numbers the
 * resources and score stages read kept in flat arrays (struct of arrays), so the scan
 * over thousands of hosts touches a few cache-friendly arrays instead of objects.
 */
export class HostTable {
  readonly environments = new Map<string, EnvironmentHosts>();
  readonly hostIds: string[] = [];
  readonly capCpu: number[] = [];
  readonly capMem: number[] = [];
  readonly allocCpu: number[] = [];
  readonly allocMem: number[] = [];
  readonly containers: number[] = [];
  /** capacity − allocated, as the reference placer computes it. */
  readonly freeCpu: number[] = [];
  readonly freeMem: number[] = [];
  /** Bumped on every change of a slot: cached scores of an older version are stale. */
  readonly version: number[] = [];

  private readonly slotOf = new Map<string, number>();
  private readonly classOf: (HostClass | undefined)[] = [];
  private readonly classes = new Map<string, HostClass>();
  private readonly freeSlots: number[] = [];
  private readonly ranks: number[] = [];
  private ranksStale = false;

  get size(): number {
    return this.slotOf.size;
  }

  /** Slots ever used, live or not: the length of the per-slot arrays. */
  get slotCount(): number {
    return this.hostIds.length;
  }

  slot(hostId: string): number | undefined {
    return this.slotOf.get(hostId);
  }

  upsert(host: HostView): void {
    let slot = this.slotOf.get(host.hostId);
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.hostIds.length;
      this.slotOf.set(host.hostId, slot);
      this.hostIds[slot] = host.hostId;
      this.version[slot] = (this.version[slot] ?? 0) + 1;
      this.ranksStale = true;
    } else {
      this.leaveClass(slot);
    }
    this.capCpu[slot] = host.capacity.cpus;
    this.capMem[slot] = host.capacity.memoryMb;
    this.setAllocation(slot, host.allocated.cpus, host.allocated.memoryMb, host.allocated.containers);
    this.joinClass(slot, host);
  }

  remove(hostId: string): void {
    const slot = this.slotOf.get(hostId);
    if (slot === undefined) return;
    this.leaveClass(slot);
    this.slotOf.delete(hostId);
    this.version[slot]++;
    this.freeSlots.push(slot);
    this.ranksStale = true;
  }

  /** Adds (sign 1) or removes (sign −1) one container's resources, with the reference placer's arithmetic. */
  adjust(hostId: string, resources: Resources, sign: 1 | -1): void {
    const slot = this.slotOf.get(hostId);
    if (slot === undefined) throw new Error(`unknown host ${hostId}`);
    this.setAllocation(
      slot,
      this.allocCpu[slot] + sign * resources.cpus,
      this.allocMem[slot] + sign * resources.memoryMb,
      this.containers[slot] + sign,
    );
  }

  /** Each slot's position in hostId order: the tie-break, as an integer compare in the hot loop. */
  hostRanks(): readonly number[] {
    if (this.ranksStale) {
      const live = [...this.slotOf.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      live.forEach(([, slot], rank) => (this.ranks[slot] = rank));
      this.ranksStale = false;
    }
    return this.ranks;
  }

  private setAllocation(slot: number, cpus: number, memoryMb: number, containers: number): void {
    this.allocCpu[slot] = cpus;
    this.allocMem[slot] = memoryMb;
    this.containers[slot] = containers;
    this.freeCpu[slot] = this.capCpu[slot] - cpus;
    this.freeMem[slot] = this.capMem[slot] - memoryMb;
    this.version[slot]++;
  }

  private joinClass(slot: number, host: HostView): void {
    const dedicatedTenantId = host.dedicatedTenantId || undefined;
    const labels = Object.fromEntries(Object.entries(host.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const key = JSON.stringify([host.environmentId, host.status, dedicatedTenantId ?? null, labels]);
    let hostClass = this.classes.get(key);
    if (!hostClass) {
      hostClass = { key, environmentId: host.environmentId, status: host.status, dedicatedTenantId, labels, slots: [] };
      this.classes.set(key, hostClass);
      let environment = this.environments.get(host.environmentId);
      if (!environment) {
        environment = { hostCount: 0, classes: [] };
        this.environments.set(host.environmentId, environment);
      }
      environment.classes.push(hostClass);
    }
    hostClass.slots.push(slot);
    this.environments.get(host.environmentId)!.hostCount++;
    this.classOf[slot] = hostClass;
  }

  private leaveClass(slot: number): void {
    const hostClass = this.classOf[slot];
    if (!hostClass) return;
    this.classOf[slot] = undefined;
    const slots = hostClass.slots;
    slots[slots.indexOf(slot)] = slots[slots.length - 1];
    slots.pop();
    const environment = this.environments.get(hostClass.environmentId)!;
    environment.hostCount--;
    if (slots.length > 0) return;
    // Empty classes go, so relabelling hosts over months does not leave a trail of them.
    this.classes.delete(hostClass.key);
    environment.classes.splice(environment.classes.indexOf(hostClass), 1);
    if (environment.hostCount === 0) this.environments.delete(hostClass.environmentId);
  }
}
