import { seededRandom } from '@caas/testing';
import type { SchedulingEvent } from '@caas/contracts';
import { type MeterCommand, meterDecider } from '../../services/billing/src/metering/meter.decider';
import type { MeterEvent, MeterState } from '../../services/billing/src/metering/meter.events';
import { meterCommandsOf } from '../../services/billing/src/metering/lifecycle-facts';

/*
 * A month of lifecycle facts for many tenants, generated deterministically (seeded
 * PRNG), and the meter events the real decider records from them — closing every hour
 * as the billing clock would, a grace after its end.
 */

export interface MonthOptions {
  readonly facts: number;
  readonly tenants: number;
  readonly days: number;
  readonly hosts: number;
  readonly hostFailures: number;
  readonly seed: number;
}

export interface MeteredMonth {
  readonly facts: number;
  /** Per tenant, its meter stream's events in order. */
  readonly meterEvents: Map<string, MeterEvent[]>;
  readonly meterEventCount: number;
  readonly factCounts: Record<string, number>;
}

const HOUR_MS = 3_600_000;
const GRACE_MS = 5 * 60_000;
const MONTH_START = Date.parse('2026-10-01T00:00:00.000Z');
const SIZES = [
  { cpus: 0.25, memoryMb: 256 },
  { cpus: 0.5, memoryMb: 512 },
  { cpus: 1, memoryMb: 1024 },
  { cpus: 2, memoryMb: 4096 },
];

/** A fact as scheduling would publish it, with when billing receives it (a few arrive late). */
interface Delivered {
  readonly deliveredAt: number;
  readonly event: SchedulingEvent;
}

export function meteredMonth(options: MonthOptions): MeteredMonth {
  const facts = lifecycleFacts(options);
  const meters = new Meters();
  let nextHourEnd = MONTH_START + HOUR_MS;
  for (const { deliveredAt, event } of facts) {
    // The clock: every hour whose end plus grace has passed closes before this fact.
    for (; nextHourEnd + GRACE_MS <= deliveredAt; nextHourEnd += HOUR_MS) meters.closeHour(nextHourEnd - HOUR_MS);
    for (const command of meterCommandsOf(event, (hostId) => meters.tenantsOn(hostId))) meters.decide(command);
  }
  const monthEnd = MONTH_START + options.days * 24 * HOUR_MS;
  for (; nextHourEnd <= monthEnd; nextHourEnd += HOUR_MS) meters.closeHour(nextHourEnd - HOUR_MS);
  const factCounts: Record<string, number> = {};
  for (const { event } of facts) factCounts[event.type] = (factCounts[event.type] ?? 0) + 1;
  return { facts: facts.length, meterEvents: meters.events, meterEventCount: meters.count, factCounts };
}

/** Every tenant's meter, decided in memory with the real decider. */
class Meters {
  readonly events = new Map<string, MeterEvent[]>();
  count = 0;
  private readonly states = new Map<string, MeterState>();

  decide(command: MeterCommand): void {
    let state = this.states.get(command.tenantId) ?? meterDecider.initialState();
    const events = meterDecider.decide(command, state);
    for (const event of events) state = meterDecider.evolve(state, event);
    this.states.set(command.tenantId, state);
    if (events.length === 0) return;
    const stream = this.events.get(command.tenantId) ?? [];
    stream.push(...events);
    this.events.set(command.tenantId, stream);
    this.count += events.length;
  }

  closeHour(hour: number): void {
    const at = new Date(hour).toISOString();
    for (const [tenantId, state] of this.states) {
      if (state.closedThrough === at) this.decide({ kind: 'CloseHour', tenantId, hour: at });
    }
  }

  /** What running_containers answers the HostDown fan-out. */
  tenantsOn(hostId: string): string[] {
    const tenants: string[] = [];
    for (const [tenantId, state] of this.states) {
      if (Object.values(state.running).some((interval) => interval.hostId === hostId)) tenants.push(tenantId);
    }
    return tenants;
  }
}

/**
 * Each tenant runs a few containers that start and stop, die, get removed and resized
 * (a stop and a start with another size); some hosts fail, and their containers start
 * again elsewhere. Exactly `facts` facts, in delivery order.
 */
function lifecycleFacts(options: MonthOptions): Delivered[] {
  const random = seededRandom(options.seed);
  const monthEnd = MONTH_START + options.days * 24 * HOUR_MS;
  const failures = Array.from({ length: options.hostFailures }, () => ({
    hostId: `host-${Math.floor(random() * options.hosts)}`,
    at: MONTH_START + Math.floor(random() * (monthEnd - MONTH_START)),
  })).sort((a, b) => a.at - b.at);
  // Runs per tenant so the month holds slightly more facts than asked; the latest are cut.
  const factsPerTenant = Math.ceil((options.facts * 1.02) / options.tenants);
  const meanGapMs = (monthEnd - MONTH_START) / (factsPerTenant / 2);
  const all: Delivered[] = [];
  for (let t = 0; t < options.tenants; t++) {
    all.push(...tenantFacts(`tenant-${t}`, factsPerTenant, meanGapMs, failures, options, random));
  }
  all.sort((a, b) => a.deliveredAt - b.deliveredAt);
  const facts = all.slice(0, options.facts);
  const lastDelivery = facts[facts.length - 1]!.deliveredAt;
  for (const failure of failures) {
    if (failure.at < lastDelivery) facts.push(hostDown(failure.hostId, failure.at));
  }
  facts.sort((a, b) => a.deliveredAt - b.deliveredAt);
  // Host failures count among the facts: keep exactly `facts` of them.
  return facts.slice(0, options.facts);
}

function tenantFacts(
  tenantId: string,
  count: number,
  meanGapMs: number,
  failures: ReadonlyArray<{ hostId: string; at: number }>,
  options: MonthOptions,
  random: () => number,
): Delivered[] {
  const facts: Delivered[] = [];
  // A tenant's containers start and stop again and again. A container is started again
  // only once a late end of its last run can no longer be pending (late ends come within 3 h).
  const freeAt = Array.from({ length: 8 + Math.floor(random() * 8) }, () => MONTH_START);
  let time = MONTH_START + Math.floor(random() * HOUR_MS);
  while (facts.length < count) {
    const slot = freeAt.indexOf(Math.min(...freeAt));
    const containerId = `${tenantId}-c${slot}`;
    const size = SIZES[Math.floor(random() * SIZES.length)]!;
    let hostId = `host-${Math.floor(random() * options.hosts)}`;
    const startAt = Math.max(time, freeAt[slot]!);
    const endAt = startAt + Math.floor(random() * 2 * meanGapMs * 4);
    freeAt[slot] = endAt + 3 * HOUR_MS + 60_000;
    facts.push(delivered(random, startAt, started(tenantId, containerId, hostId, size, startAt)));
    // A failure of its host ends the run (HostDown says so); it starts again elsewhere.
    const failure = failures.find((f) => f.hostId === hostId && f.at > startAt && f.at < endAt);
    if (failure) {
      hostId = `host-${(Number(hostId.slice(5)) + 1) % options.hosts}`;
      // After HostDown reaches billing (a minute later), or the start would find it still running.
      const again = failure.at + 90_000;
      facts.push(delivered(random, again, started(tenantId, containerId, hostId, size, again)));
    }
    facts.push(...ending(random, tenantId, containerId, hostId, endAt));
    time += Math.floor(random() * 2 * meanGapMs) + 1_000;
  }
  return facts;
}

/** Mostly stops; some die, some are removed, some resized (stopped and started again with another size). */
function ending(random: () => number, tenantId: string, containerId: string, hostId: string, at: number): Delivered[] {
  const roll = random();
  const fact = { ...containerFact(tenantId, containerId, hostId, SIZES[0]!), at: iso(at) };
  const late = (event: SchedulingEvent) => delivered(random, at, event, true);
  if (roll < 0.1) return [late(scheduling('ContainerDied', { ...fact, exitCode: 137, oomKilled: true }))];
  if (roll < 0.2) return [late(scheduling('ContainerRemoved', { ...fact, reason: 'requested' }))];
  const stop = scheduling('ContainerStopped', { ...fact, reason: 'requested' });
  if (roll < 0.3) {
    // Never late: the start that follows would find it still running.
    const size = SIZES[Math.floor(random() * SIZES.length)]!;
    return [
      delivered(random, at, stop),
      delivered(random, at + 5_000, started(tenantId, containerId, hostId, size, at + 5_000)),
    ];
  }
  return [late(stop)];
}

function started(
  tenantId: string,
  containerId: string,
  hostId: string,
  resources: { cpus: number; memoryMb: number },
  at: number,
): SchedulingEvent {
  return scheduling('ContainerStarted', { ...containerFact(tenantId, containerId, hostId, resources), at: iso(at) });
}

function containerFact(
  tenantId: string,
  containerId: string,
  hostId: string,
  resources: { cpus: number; memoryMb: number },
) {
  return { tenantId, environmentId: 'env-bench', containerId, serviceId: null, replica: null, hostId, resources };
}

/** The fields billing reads are set; the cast spares the bench scheduling's other fields, which change often. */
function scheduling(type: SchedulingEvent['type'], data: object): SchedulingEvent {
  return { type, data } as SchedulingEvent;
}

function hostDown(hostId: string, at: number): Delivered {
  const capacity = { cpus: 16, memoryMb: 65_536 };
  const event = scheduling('HostDown', { tenantId: null, hostId, capacity, at: iso(at), lastSeenAt: iso(at) });
  return { deliveredAt: at + 60_000, event };
}

/**
 * Facts arrive within seconds; one end in 200 arrives up to three hours late, after its
 * hours closed (corrections). Starts are never late: a start after its own end would run forever.
 */
function delivered(random: () => number, at: number, event: SchedulingEvent, mayBeLate = false): Delivered {
  const late = mayBeLate && random() < 0.005 ? Math.floor(random() * 3 * HOUR_MS) : Math.floor(random() * 2_000);
  return { deliveredAt: at + late, event };
}

const iso = (time: number) => new Date(time).toISOString();
