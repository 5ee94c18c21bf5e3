import type { DomainEvent } from '@caas/domain';
import type { EventStore, RecordedEvent, Subscription } from '@caas/event-store';
import {
  type ContainerEvent,
  type ContainerState,
  evolveContainer,
  initialContainerState,
} from '../container/container.events';
import { type HostEvent, type HostState, evolveHost, hostStatus, initialHostState } from '../host/host.events';
import type { WatchedHost } from '../host/host.projection';
import { type ServiceEvent, type ServiceState, evolveService, initialServiceState } from '../service/service.events';
import { PlacementTable, type PortRange } from './placement-table';

/** The categories the scheduler folds: everything it decides on. */
export const CLUSTER_CATEGORIES = ['host', 'container', 'service'] as const;

type Category = (typeof CLUSTER_CATEGORIES)[number];

interface Folded<State> {
  readonly state: State;
  /** The stream revision `state` includes. */
  readonly revision: bigint;
}

export type ClusterChange =
  | { readonly category: 'host'; readonly id: string; readonly state: HostState }
  | { readonly category: 'container'; readonly id: string; readonly state: ContainerState }
  | { readonly category: 'service'; readonly id: string; readonly state: ServiceState };

/**
 * The scheduler's desired state: every host, container and service folded in memory
 * from the store with the same `evolve` as their deciders, kept current by a catch-up
 * subscription — and by `apply`, which a command handler calls with the state its
 * append produced, so the next placement sees it before the subscription delivers it
 * (two placements never both take the last free CPU). A delivered event at or below
 * the revision already applied is skipped.
 */
export class ClusterState {
  readonly hosts = new Map<string, Folded<HostState>>();
  readonly containers = new Map<string, Folded<ContainerState>>();
  readonly services = new Map<string, Folded<ServiceState>>();
  /** Capacity, allocations and published ports per host, for placement. */
  readonly placement: PlacementTable;
  private readonly listeners = new Set<(change: ClusterChange) => void>();
  private subscription?: Subscription;

  private constructor(portRange?: PortRange) {
    this.placement = new PlacementTable(portRange);
  }
  private following?: Promise<void>;

  /**
   * Folds history, then follows the store live. Resolves once history is folded; a
   * failed subscription (it reconnects on its own after a lost connection) is reported.
   */
  static async start(
    store: EventStore,
    onError: (error: unknown) => void = () => undefined,
    portRange?: PortRange,
  ): Promise<ClusterState> {
    const cluster = new ClusterState(portRange);
    const subscription = store.subscribeToAll({
      fromPosition: 'start',
      filter: { categories: [...CLUSTER_CATEGORIES] },
    });
    cluster.subscription = subscription;
    await new Promise<void>((caughtUp, failed) => {
      cluster.following = (async () => {
        for await (const message of subscription) {
          if (message.kind === 'caughtUp') caughtUp();
          else cluster.deliver(message.event);
        }
      })().catch((error: unknown) => {
        onError(error);
        failed(error);
      });
    });
    return cluster;
  }

  async stop(): Promise<void> {
    await this.subscription?.unsubscribe();
    await this.following;
  }

  onChange(listener: (change: ClusterChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  host(hostId: string): HostState | undefined {
    return this.hosts.get(hostId)?.state;
  }

  container(containerId: string): ContainerState | undefined {
    return this.containers.get(containerId)?.state;
  }

  service(serviceId: string): ServiceState | undefined {
    return this.services.get(serviceId)?.state;
  }

  /** Every host that is not removed, as the heartbeat monitor watches it. */
  watchedHosts(): WatchedHost[] {
    const watched: WatchedHost[] = [];
    for (const { state } of this.hosts.values()) {
      const status = hostStatus(state);
      if (status !== 'none' && status !== 'removed') {
        watched.push({ hostId: state.hostId, endpoint: state.endpoint, status });
      }
    }
    return watched;
  }

  /** Containers placed on `hostId` and not removed yet. */
  containersOn(hostId: string): ContainerState[] {
    return [...this.containers.values()]
      .map(({ state }) => state)
      .filter((state) => state.hostId === hostId && state.observed !== 'removed');
  }

  /** A service's containers that are not removed yet (any revision, any desired state). */
  replicasOf(serviceId: string): ContainerState[] {
    return [...this.containers.values()]
      .map(({ state }) => state)
      .filter((state) => state.serviceId === serviceId && state.observed !== 'removed');
  }

  /** A command's outcome: the state its append produced, at `nextExpectedRevision`. */
  apply(category: 'host', id: string, state: HostState, revision: bigint | undefined): void;
  apply(category: 'container', id: string, state: ContainerState, revision: bigint | undefined): void;
  apply(category: 'service', id: string, state: ServiceState, revision: bigint | undefined): void;
  apply(category: Category, id: string, state: HostState | ContainerState | ServiceState, revision?: bigint): void {
    if (revision === undefined) return; // nothing was ever appended
    const known = this.mapOf(category).get(id);
    if (known && known.revision >= revision) return;
    this.set({ category, id, state } as ClusterChange, revision, known?.state);
  }

  private deliver(event: RecordedEvent): void {
    const [category, ...rest] = event.streamId.split('-');
    const id = rest.join('-');
    if (!isCategory(category)) return;
    const known = this.mapOf(category).get(id);
    if (known && known.revision >= event.revision) return;
    const domainEvent: DomainEvent = { type: event.type, data: event.data };
    switch (category) {
      case 'host': {
        const before = (known?.state as HostState | undefined) ?? initialHostState();
        this.set({ category, id, state: evolveHost(before, domainEvent as HostEvent) }, event.revision, known?.state);
        return;
      }
      case 'container': {
        const before = (known?.state as ContainerState | undefined) ?? initialContainerState();
        const state = evolveContainer(before, domainEvent as ContainerEvent);
        this.set({ category, id, state }, event.revision, known?.state);
        return;
      }
      case 'service': {
        const before = (known?.state as ServiceState | undefined) ?? initialServiceState();
        const state = evolveService(before, domainEvent as ServiceEvent);
        this.set({ category, id, state }, event.revision, known?.state);
        return;
      }
    }
  }

  private set(change: ClusterChange, revision: bigint, before: unknown): void {
    switch (change.category) {
      case 'host':
        this.hosts.set(change.id, { state: change.state, revision });
        this.placement.hostChanged(change.state);
        break;
      case 'container':
        this.containers.set(change.id, { state: change.state, revision });
        this.placement.containerChanged(before as ContainerState | undefined, change.state);
        break;
      case 'service':
        this.services.set(change.id, { state: change.state, revision });
        break;
    }
    for (const listener of this.listeners) listener(change);
  }

  private mapOf(category: Category): Map<string, Folded<unknown>> {
    switch (category) {
      case 'host':
        return this.hosts;
      case 'container':
        return this.containers;
      case 'service':
        return this.services;
    }
  }
}

const isCategory = (value: string): value is Category => (CLUSTER_CATEGORIES as readonly string[]).includes(value);
