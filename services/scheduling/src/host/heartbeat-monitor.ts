import { randomUUID } from 'node:crypto';
import { CaasError, SYSTEM_ACTOR } from '@caas/contracts';
import { type CommandContext, handleCommand } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import type { DockerHostDriver } from '../runtime/docker';
import { heartbeatDecisions } from './heartbeat-decisions';
import { hostDecider } from './host.decider';
import { hostStream } from './host.events';
import type { WatchedHost } from './host.projection';
import type { MarkHostDown } from './mark-host-down';
import type { MarkHostUp } from './mark-host-up';

export interface HeartbeatMonitorOptions {
  readonly store: EventStore;
  /** The hosts to watch, as the read model shows them (removed ones are skipped). */
  readonly hosts: () => Promise<readonly WatchedHost[]>;
  /** The driver of a host's engine; called once per host and kept. */
  readonly driverFor: (host: WatchedHost) => Pick<DockerHostDriver, 'ping'>;
  /** Silence after which a host is marked down (default 10 s). */
  readonly ttlMs?: number;
  /** How often every host is pinged (default 1 s). */
  readonly intervalMs?: number;
  /** Each ping's deadline; below the interval (default 80 % of it). */
  readonly pingTimeoutMs?: number;
  /** Milliseconds since the epoch (default `Date.now`). */
  readonly clock?: () => number;
  /** Failures of a round (read model, store); the monitor keeps going. */
  readonly onError?: (error: unknown) => void;
}

export interface HeartbeatMonitorOutcome {
  readonly hostId: string;
  readonly command: 'MarkHostDown' | 'MarkHostUp';
  /** `recorded`: this monitor appended it; `done`: another monitor had (the decider said conflict). */
  readonly result: 'recorded' | 'done';
}

/**
 * Pings every non-removed host each interval (in parallel, each with a deadline shorter
 * than the interval), remembers each host's last successful ping, and records
 * `MarkHostDown` once an up host has been silent for longer than the TTL and
 * `MarkHostUp` as soon as a down host answers. Several instances may run: the one that
 * loses the race gets `conflict` from the decider, which means it is done.
 * Rounds never overlap: a slow round delays the next one.
 */
export class HeartbeatMonitor {
  readonly ttlMs: number;
  readonly intervalMs: number;
  private readonly pingTimeoutMs: number;
  private readonly clock: () => number;
  private readonly drivers = new Map<string, Pick<DockerHostDriver, 'ping'>>();
  private readonly lastSeen = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private running = false;

  constructor(private readonly options: HeartbeatMonitorOptions) {
    this.ttlMs = options.ttlMs ?? 10_000;
    this.intervalMs = options.intervalMs ?? 1_000;
    this.pingTimeoutMs = Math.min(options.pingTimeoutMs ?? Math.floor(this.intervalMs * 0.8), this.intervalMs - 1);
    if (!(this.pingTimeoutMs > 0)) throw new Error('intervalMs must leave room for a ping timeout');
    this.clock = options.clock ?? Date.now;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops the rounds and waits for the one under way. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.round;
  }

  /** One round: ping, decide, record. Exposed for tests; `start` runs it every interval. */
  async tick(): Promise<HeartbeatMonitorOutcome[]> {
    const hosts = (await this.options.hosts()).filter((host) => host.status !== 'removed');
    const answered = await Promise.all(hosts.map((host) => this.ping(host)));
    const now = this.clock();
    const observations = hosts.map((host, index) => ({
      hostId: host.hostId,
      status: host.status,
      lastSeenMs: this.lastSeen.get(host.hostId)!,
      answered: answered[index]!,
    }));
    this.forgetAllBut(new Set(hosts.map((host) => host.hostId)));
    const { markDown, markUp } = heartbeatDecisions(observations, now, this.ttlMs);
    const at = new Date(now).toISOString();
    const commands: Array<MarkHostDown | MarkHostUp> = [
      ...markDown.map(({ hostId, lastSeenMs }): MarkHostDown => ({
        kind: 'MarkHostDown',
        hostId,
        lastSeenAt: new Date(lastSeenMs).toISOString(),
        ttlMs: this.ttlMs,
        at,
      })),
      ...markUp.map((hostId): MarkHostUp => ({ kind: 'MarkHostUp', hostId, at })),
    ];
    const outcomes = await Promise.allSettled(commands.map((command) => this.record(command)));
    const recorded: HeartbeatMonitorOutcome[] = [];
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') {
        if (outcome.value) recorded.push(outcome.value);
      } else this.options.onError?.(outcome.reason);
    }
    return recorded;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      const started = this.clock();
      this.round = this.tick()
        .then(
          () => undefined,
          (error: unknown) => this.options.onError?.(error),
        )
        .finally(() => this.schedule(Math.max(0, this.intervalMs - (this.clock() - started))));
    }, delayMs);
  }

  /** True when the host answered in time; a host seen for the first time starts with one TTL of grace. */
  private async ping(host: WatchedHost): Promise<boolean> {
    if (!this.lastSeen.has(host.hostId)) this.lastSeen.set(host.hostId, this.clock());
    let driver = this.drivers.get(host.hostId);
    if (!driver) {
      driver = this.options.driverFor(host);
      this.drivers.set(host.hostId, driver);
    }
    try {
      await driver.ping(this.pingTimeoutMs);
      this.lastSeen.set(host.hostId, this.clock());
      return true;
    } catch {
      return false;
    }
  }

  private forgetAllBut(watched: ReadonlySet<string>): void {
    for (const hostId of this.lastSeen.keys()) {
      if (!watched.has(hostId)) {
        this.lastSeen.delete(hostId);
        this.drivers.delete(hostId);
      }
    }
  }

  /** Undefined when nothing was recorded and nothing is left to do (the decider found it done). */
  private async record(command: MarkHostDown | MarkHostUp) {
    const correlationId = randomUUID();
    const context: CommandContext = {
      tenantId: null,
      actor: SYSTEM_ACTOR,
      correlationId,
      causationId: correlationId,
    };
    try {
      const { events } = await handleCommand(
        this.options.store,
        hostDecider,
        hostStream(command.hostId),
        command,
        context,
      );
      if (events.length === 0) return undefined;
      return { hostId: command.hostId, command: command.kind, result: 'recorded' } as const;
    } catch (error) {
      // Another monitor got there first (already down / not down any more): nothing left to do.
      if (error instanceof CaasError && error.code === 'conflict') {
        return { hostId: command.hostId, command: command.kind, result: 'done' } as const;
      }
      throw error;
    }
  }
}
