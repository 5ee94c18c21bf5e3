import type { EventStore } from '@caas/event-store';
import type { ClusterChange, ClusterState } from '../cluster/cluster-state';
import type { ContainerScheduler } from '../cluster/container-scheduler';
import type { HostDrivers } from '../cluster/host-drivers';
import { hostStatus } from '../host/host.events';
import { type HostRoundDeps, type Observations, isFreshPlacement, launchPlaced, reconcileHost } from './host-round';
import { HostEventFeeds } from './host-event-feeds';
import { PlatformRegistry } from '../shared/platform-registry';
import { ServiceController } from './service-controller';
import { SystemCommands } from './system-commands';

export interface ReconcilerOptions {
  readonly store: EventStore;
  readonly cluster: ClusterState;
  readonly drivers: HostDrivers;
  readonly scheduler: ContainerScheduler;
  /** The periodic full pass, whatever happened (default 2 s). */
  readonly intervalMs?: number;
  /** After an engine event (a container died, was killed, was removed by hand), a pass this soon (default 50 ms). */
  readonly debounceMs?: number;
  /**
   * After a change of the desired state (a command recorded: a container created,
   * stopped, deleted, a service scaled), a pass this soon (default 0: at once, since
   * the caller is waiting for it). Changes that come during a pass still make only one
   * more pass, right after it.
   */
  readonly changeDelayMs?: number;
  readonly placementRetryMs?: number;
  /** Where images of the platform registry get their pull tokens (default: no platform registry). */
  readonly registry?: PlatformRegistry;
  readonly onError?: (error: unknown) => void;
}

/**
 * Level-triggered reconciliation: each pass lists every reachable host's platform
 * containers and steps each one towards its desired state (host rounds, in parallel),
 * then drives every service towards its planner's step. A pass runs every interval, and
 * soon after anything changes — a command recorded, or an engine event (a container
 * died, was killed, was removed by hand). Passes never overlap; a change during a pass
 * asks for one more.
 *
 * A container just placed does not wait for a pass: it is created and started at once
 * (`launchPlaced`), since its caller is waiting. That may run beside a pass; the create is
 * idempotent by name and start by state, so a pass meeting it half-way adopts it.
 */
export class Reconciler {
  private readonly observations: Observations = { containers: new Map(), createFailures: new Map() };
  private readonly commands: SystemCommands;
  private readonly services: ServiceController;
  private readonly feeds: HostEventFeeds;
  private readonly roundDeps: HostRoundDeps;
  /** Launches in flight, by container id: one each, left alone by passes, awaited by `stop`. */
  private readonly launches = new Map<string, Promise<void>>();
  private timer?: NodeJS.Timeout;
  private soon?: NodeJS.Timeout;
  private pass?: Promise<void>;
  /** Asked for during the pass in flight: the shortest delay asked, for the pass right after it. */
  private again?: number;
  private stopped = true;
  private unsubscribe?: () => void;

  constructor(private readonly options: ReconcilerOptions) {
    const onError = options.onError ?? (() => undefined);
    this.commands = new SystemCommands(options.store, options.cluster);
    this.services = new ServiceController({
      cluster: options.cluster,
      commands: this.commands,
      scheduler: options.scheduler,
      observations: this.observations,
      onError,
      placementRetryMs: options.placementRetryMs,
    });
    this.feeds = new HostEventFeeds(options.drivers, () => this.requestPass(), onError);
    const { cluster, drivers } = options;
    this.roundDeps = {
      cluster,
      drivers,
      commands: this.commands,
      observations: this.observations,
      onError,
      registry: options.registry ?? PlatformRegistry.none(),
      launching: this.launches,
    };
  }

  start(): void {
    this.stopped = false;
    this.unsubscribe = this.options.cluster.onChange((change) => {
      if (!this.launchAtOnce(change)) this.requestPass(this.options.changeDelayMs ?? 0);
    });
    this.timer = setInterval(() => this.requestPass(0), this.options.intervalMs ?? 2_000);
    this.requestPass(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearInterval(this.timer);
    clearTimeout(this.soon);
    this.feeds.closeAll();
    await Promise.all([this.pass, ...this.launches.values()]);
  }

  /** Resolves after the launches in flight and a whole pass that started after this call. */
  async settle(): Promise<void> {
    await Promise.all([this.pass, ...this.launches.values()]);
    this.requestPass(0);
    await this.pass;
  }

  /** Launches a container just placed on an up host; false when the change is anything else. */
  private launchAtOnce(change: ClusterChange): boolean {
    if (this.stopped || change.category !== 'container' || this.launches.has(change.id)) return false;
    const { state } = change;
    const host = this.options.cluster.host(state.hostId);
    if (!isFreshPlacement(state) || !host || hostStatus(host) !== 'up') return false;
    const launch = launchPlaced(this.roundDeps, state)
      .catch((error: unknown) => this.roundDeps.onError(error))
      .finally(() => {
        this.launches.delete(change.id);
        // What the launch recorded (or failed to do) is the next pass's to check.
        this.requestPass(0);
      });
    this.launches.set(change.id, launch);
    return true;
  }

  private requestPass(delayMs = this.options.debounceMs ?? 50): void {
    if (this.stopped) return;
    if (this.pass) {
      this.again = Math.min(this.again ?? delayMs, delayMs);
      return;
    }
    if (this.soon && delayMs > 0) return;
    clearTimeout(this.soon);
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.runPass();
    }, delayMs);
  }

  private runPass(): void {
    if (this.stopped || this.pass) return;
    this.again = undefined;
    this.pass = this.passOnce()
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.pass = undefined;
        const again = this.again;
        this.again = undefined;
        if (again !== undefined) this.requestPass(again);
      });
  }

  private async passOnce(): Promise<void> {
    const { cluster } = this.options;
    const hosts = [...cluster.hosts.values()].map(({ state }) => state);
    // A host the heartbeat marked down is not asked: its calls would only time out.
    const reachable = hosts.filter((host) => ['up', 'draining'].includes(hostStatus(host)));
    this.feeds.follow(reachable.map((host) => host.hostId));
    const deps = this.roundDeps;
    await Promise.all(reachable.map((host) => reconcileHost(deps, host.hostId).catch(deps.onError)));
    await this.services.round();
  }
}
