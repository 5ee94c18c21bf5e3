/**
 * Placement's inputs and outputs. Placement is pure: it reads a snapshot of the hosts
 * and a request and answers a decision; turning the decision into a
 * `ContainerScheduled` event (or a 4xx naming `failedConstraint`) is the caller's job.
 */

export type HostStatus = 'up' | 'down' | 'draining';

export interface Resources {
  /** CPUs as a fraction (0.5 = half a core), as in `RuntimeResources`. */
  readonly cpus: number;
  readonly memoryMb: number;
}

export interface HostAllocation extends Resources {
  readonly containers: number;
}

/** What placement needs to know about one host (the scheduler's read model of it). */
export interface HostView {
  readonly hostId: string;
  readonly status: HostStatus;
  readonly environmentId: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Set on a host reserved for one tenant: it takes that tenant's containers only. */
  readonly dedicatedTenantId?: string;
  readonly capacity: Resources;
  /** The sum of the resources of the containers placed on it. */
  readonly allocated: HostAllocation;
}

/**
 * A label selector. `!=` also matches hosts without the label (as in Nomad, Swarm and
 * Kubernetes' `NotIn`): "not on ssd" should not exclude hosts nobody labelled.
 */
export type LabelConstraint =
  | { readonly key: string; readonly op: '==' | '!='; readonly value: string }
  | { readonly key: string; readonly op: 'exists' };

export type PlacementStrategy = 'spread' | 'binpack';

export interface PlacementRequest {
  readonly tenantId: string;
  readonly environmentId: string;
  /** The service whose replica this is; anti-affinity applies between its replicas. */
  readonly serviceId?: string;
  readonly resources: Resources;
  readonly constraints?: readonly LabelConstraint[];
  /** Default 'spread'. */
  readonly strategy?: PlacementStrategy;
  /** Default: true when `serviceId` is set. Soft: see `filters.ts`. */
  readonly antiAffinity?: boolean;
  /** Only hosts dedicated to this tenant; by default its containers may also use shared hosts. */
  readonly dedicatedOnly?: boolean;
}

/** Replicas of the request's service already on each host, by hostId (absent = 0). */
export type ReplicaCounts = ReadonlyMap<string, number>;

/** The filters, in the order they run (see `FILTER_ORDER` in `filters.ts`). */
export type FilterName = 'environment' | 'status' | 'dedicated' | 'constraints' | 'resources' | 'antiAffinity';

/** Hosts each filter eliminated; a host is counted once, by the first filter that rejected it. */
export type FilterCounts = Record<FilterName, number>;

export interface Placed {
  readonly placed: true;
  readonly hostId: string;
  /** Nomad-style fit score in [0, 1], higher is better for the strategy used. */
  readonly score: number;
  readonly strategy: PlacementStrategy;
  /** Hosts that passed every filter (including anti-affinity) and competed on score. */
  readonly candidates: number;
  readonly filtered: FilterCounts;
  readonly reason: string;
}

export interface NotPlaced {
  readonly placed: false;
  /** The filter that eliminated the last candidates; never 'antiAffinity', which is soft. */
  readonly failedConstraint: Exclude<FilterName, 'antiAffinity'>;
  readonly filtered: FilterCounts;
  readonly reason: string;
}

export type PlacementDecision = Placed | NotPlaced;

/**
 * A placer decides on its own in-memory copy of the hosts. `place` only decides;
 * `allocate` records a placement (the caller does it when the decision is accepted,
 * e.g. when its `ContainerScheduled` event is applied), `release` undoes one.
 */
export interface Placer {
  place(request: PlacementRequest, replicas?: ReplicaCounts): PlacementDecision;
  allocate(hostId: string, resources: Resources): void;
  release(hostId: string, resources: Resources): void;
  /** Adds a host or replaces what the placer knows of it (status, labels, capacity, allocation…). */
  upsertHost(host: HostView): void;
  removeHost(hostId: string): void;
}
