import type { ContainerTemplateV1 } from './container.commands';
import type { REFUSED_CONTAINER_FIELDS } from './container-refusals';
import type { PlacementStrategy, PortProtocol } from './scheduling.limits';

/**
 * Public events of the scheduling context, published on JetStream as
 * `caas.events.scheduling.<type>`. Every event's metadata carries `schemaVersion`;
 * these are version 1. Add fields compatibly; a breaking change is a new event type.
 *
 * Billing and monitoring are built from these alone, so each carries what they need
 * without asking anyone: the tenant (null for hosts: they are the platform's), the
 * ids, the host, the resources, and `at` — when it happened (ISO 8601, UTC), which
 * for observed facts (a container died) is the engine's time, not the relay's.
 */

/** What a container reserves on its host: billed per second between Started and Stopped/Died. */
export interface ContainerResources {
  readonly cpus: number;
  readonly memoryMb: number;
  readonly pidsLimit: number;
}

/** What a host offers in all (from its engine). */
export interface HostCapacity {
  readonly cpus: number;
  readonly memoryMb: number;
}

export interface PublishedPort {
  readonly containerPort: number;
  readonly protocol: PortProtocol;
  readonly hostPort: number;
  readonly hostIp: string;
}

/** Identifies a container wherever it runs; `serviceId`/`replica` are null for a standalone container. */
interface ContainerFact {
  readonly tenantId: string;
  readonly environmentId: string;
  readonly containerId: string;
  readonly serviceId: string | null;
  /** The replica slot (0-based) in its service; a replacement takes the slot of the one it replaces. */
  readonly replica: number | null;
  readonly hostId: string;
  readonly resources: ContainerResources;
  readonly at: string;
}

/** Why the platform stopped or removed a container (a died container is ContainerDied instead). */
export type ContainerStopReason =
  | 'requested' // the tenant asked
  | 'scaled-down'
  | 'rollout' // replaced by a replica of the new revision
  | 'rolled-back' // a replica of the failed revision
  | 'host-drained'
  | 'host-down' // its replacement runs elsewhere; removed when the host returns
  | 'replaced' // a service replica that crashed: a new replica takes its place (added in V1, compatible)
  | 'orphan'; // found on an engine with no desired state behind it

/** Placed on a host; ports allocated. The container is not running yet. */
export interface ContainerScheduledData extends ContainerFact {
  readonly image: string;
  readonly ports: readonly PublishedPort[];
  /**
   * Added compatibly in V1 (absent from events recorded before it): why placement chose
   * this host, for people — the PlacementDecided reason.
   */
  readonly reason?: string;
  /**
   * Added compatibly in V1 (absent from events recorded before it): the engine-side name
   * (`caas-<tenantId8>-<containerId>`), by which the reconciler finds and adopts the
   * container on its host. Readers of older events derive it the same way.
   */
  readonly engineName?: string;
}

/**
 * Added in V1 (new event types, so compatible): the desired state of a container
 * changed — what the tenant (or the platform, e.g. scaling down) asked for. The
 * reconciler makes it so; what then happens on the engine is recorded as
 * ContainerStarted / ContainerStopped / ContainerDied / ContainerRemoved.
 */
export type ContainerStartRequestedData = ContainerFact;

/** Stop the running container gracefully: SIGTERM, SIGKILL after `timeoutSeconds`. */
export interface ContainerStopRequestedData extends ContainerFact {
  readonly reason: ContainerStopReason;
  readonly timeoutSeconds: number | null;
}

/** Stop the container if it runs, then start it again; desired state is running afterwards. */
export type ContainerRestartRequestedData = ContainerFact;

/** Stop (gracefully) and remove the container; ContainerRemoved follows once it is gone. */
export interface ContainerDeleteRequestedData extends ContainerFact {
  readonly reason: ContainerStopReason;
  readonly timeoutSeconds: number | null;
}

export type ContainerStartedData = ContainerFact;

export interface ContainerStoppedData extends ContainerFact {
  readonly reason: ContainerStopReason;
}

/** Exited on its own, was killed by the kernel (OOM), or its engine lost it. */
export interface ContainerDiedData extends ContainerFact {
  readonly exitCode: number;
  readonly oomKilled: boolean;
}

/** Gone from the platform; `hostId` is null when it was never placed. */
export interface ContainerRemovedData extends Omit<ContainerFact, 'hostId'> {
  readonly hostId: string | null;
  readonly reason: ContainerStopReason;
}

/**
 * A container's filesystem saved as an image of the platform registry (`docker commit`,
 * then pushed): the reference and the digest the registry answered.
 */
export interface ContainerCommittedData {
  readonly tenantId: string;
  readonly containerId: string;
  readonly hostId: string;
  /** `<registry>/<tenantId>/<name>:<tag>` */
  readonly image: string;
  readonly digest: string;
  readonly at: string;
}

/**
 * A service's container template as recorded in its events: the accepted V1 template
 * without the refused Docker fields. Each ServiceCreated/ServiceUpdated carries the
 * whole template of its revision, so a rollback (and the reconciler) can start replicas
 * of any revision from the events alone.
 */
export type ServiceTemplateData = Readonly<Omit<ContainerTemplateV1, keyof typeof REFUSED_CONTAINER_FIELDS>>;

/** A rolling update's limits (UpdateConfigV1). */
export interface RolloutLimits {
  readonly maxUnavailable: number;
  readonly maxSurge: number;
}

interface ServiceFact {
  readonly tenantId: string;
  readonly environmentId: string;
  readonly serviceId: string;
  readonly at: string;
}

export interface ServiceCreatedData extends ServiceFact {
  readonly name: string;
  readonly image: string;
  readonly replicas: number;
  /** Per replica. */
  readonly resources: ContainerResources;
  readonly strategy: PlacementStrategy;
  /** Starts at 1; each ServiceUpdated adds one. */
  readonly revision: number;
  /** Added in version 1 (compatible): the whole template of revision 1. */
  readonly template: ServiceTemplateData;
  /** Added in version 1 (compatible): the rolling-update limits, defaults applied. */
  readonly update: RolloutLimits;
}

export interface ServiceScaledData extends ServiceFact {
  readonly previousReplicas: number;
  readonly replicas: number;
  /** Per replica. */
  readonly resources: ContainerResources;
}

/** A new revision; its rollout starts now and ends with RolloutCompleted or RolloutRolledBack. */
export interface ServiceUpdatedData extends ServiceFact {
  readonly revision: number;
  readonly previousRevision: number;
  readonly image: string;
  /** Per replica. */
  readonly resources: ContainerResources;
  readonly maxUnavailable: number;
  readonly maxSurge: number;
  /** Added in version 1 (compatible): the whole template of the new revision. */
  readonly template: ServiceTemplateData;
}

/**
 * Every replica runs `revision` and is healthy. After a RolloutRolledBack, the rollback's
 * own completion is reported the same way with the restored revision.
 */
export interface RolloutCompletedData extends ServiceFact {
  readonly revision: number;
}

/** The new revision's replicas failed their health check: the previous revision runs again. */
export interface RolloutRolledBackData extends ServiceFact {
  readonly failedRevision: number;
  readonly restoredRevision: number;
  readonly reason: string;
  /** Added in version 1 (compatible): the replica (container id) whose failed health check halted the rollout. */
  readonly failedReplicaId: string;
}

export type ServiceRemovedData = ServiceFact;

interface HostFact {
  /** Hosts are the platform's: always null, also for a host dedicated to a tenant. */
  readonly tenantId: null;
  readonly hostId: string;
  readonly capacity: HostCapacity;
  readonly at: string;
}

/** Never carries TLS material: events are read by billing, monitoring and auditors. */
export interface HostRegisteredData extends HostFact {
  readonly endpoint: string;
  readonly environmentId: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly dedicatedTenantId: string | null;
}

/** Missed heartbeats for longer than the TTL; its replicas are being replaced elsewhere. */
export interface HostDownData extends HostFact {
  readonly lastSeenAt: string;
}

/** Answers again after HostDown; its stale replicas are removed. */
export type HostUpData = HostFact;

/** Takes no new containers; its replicas are being moved away. */
export type HostDrainedData = HostFact;

export type HostRemovedData = HostFact;

/** The placement filter that left no host: what a PlacementFailed names. */
export type PlacementConstraint =
  | 'no-hosts' // no host up in the environment
  | 'environment'
  | 'dedicated' // the hosts left are reserved for other tenants
  | 'constraints' // host label selectors
  | 'anti-affinity' // every fitting host already runs a replica of the service
  | 'cpus'
  | 'memory'
  | 'ports';

interface PlacementFact {
  readonly tenantId: string;
  readonly environmentId: string;
  readonly containerId: string;
  readonly serviceId: string | null;
  readonly replica: number | null;
  readonly strategy: PlacementStrategy;
  readonly resources: ContainerResources;
  readonly at: string;
}

export interface PlacementDecidedData extends PlacementFact {
  readonly hostId: string;
  readonly score: number;
  /** Hosts that passed every filter. */
  readonly candidates: number;
  /** For people: e.g. "spread: least allocated of 3 candidates (cpu 12 %, memory 30 %)". */
  readonly reason: string;
}

export interface PlacementFailedData extends PlacementFact {
  /** The filter that removed the last candidate host. */
  readonly failedConstraint: PlacementConstraint;
  /** For people: e.g. "no host in environment … has 4 CPUs free (most free: 2.5)". */
  readonly reason: string;
}

/**
 * Added in V1 (a new event type, so compatible): the size of a tenant's named volume on
 * a host, as the engine reports it (`docker system df`). Billing charges GB-months from
 * these: a volume's size holds from `measuredAt` until its next VolumeMeasured. Recorded
 * only when the size changed since the last measurement (the first always is); a volume
 * no longer on its host is measured as `sizeBytes: 0`. Sampled every few minutes, so
 * `measuredAt` is when the engine answered, not when the data changed.
 */
export interface VolumeMeasuredData {
  readonly tenantId: string;
  readonly hostId: string;
  /** The tenant's own name, without the engine's `caas-<tenantId>-` prefix. */
  readonly volumeName: string;
  readonly sizeBytes: number;
  readonly measuredAt: string;
}

export type SchedulingEvent =
  | { type: 'ContainerScheduled'; data: ContainerScheduledData }
  | { type: 'ContainerStartRequested'; data: ContainerStartRequestedData }
  | { type: 'ContainerStopRequested'; data: ContainerStopRequestedData }
  | { type: 'ContainerRestartRequested'; data: ContainerRestartRequestedData }
  | { type: 'ContainerDeleteRequested'; data: ContainerDeleteRequestedData }
  | { type: 'ContainerStarted'; data: ContainerStartedData }
  | { type: 'ContainerStopped'; data: ContainerStoppedData }
  | { type: 'ContainerDied'; data: ContainerDiedData }
  | { type: 'ContainerRemoved'; data: ContainerRemovedData }
  | { type: 'ContainerCommitted'; data: ContainerCommittedData }
  | { type: 'ServiceCreated'; data: ServiceCreatedData }
  | { type: 'ServiceScaled'; data: ServiceScaledData }
  | { type: 'ServiceUpdated'; data: ServiceUpdatedData }
  | { type: 'RolloutCompleted'; data: RolloutCompletedData }
  | { type: 'RolloutRolledBack'; data: RolloutRolledBackData }
  | { type: 'ServiceRemoved'; data: ServiceRemovedData }
  | { type: 'HostRegistered'; data: HostRegisteredData }
  | { type: 'HostDown'; data: HostDownData }
  | { type: 'HostUp'; data: HostUpData }
  | { type: 'HostDrained'; data: HostDrainedData }
  | { type: 'HostRemoved'; data: HostRemovedData }
  | { type: 'PlacementDecided'; data: PlacementDecidedData }
  | { type: 'PlacementFailed'; data: PlacementFailedData }
  | { type: 'VolumeMeasured'; data: VolumeMeasuredData };

export type SchedulingEventType = SchedulingEvent['type'];

/** The data of one event type: `SchedulingEventData<'ContainerDied'>`. */
export type SchedulingEventData<T extends SchedulingEventType> = Extract<SchedulingEvent, { type: T }>['data'];
