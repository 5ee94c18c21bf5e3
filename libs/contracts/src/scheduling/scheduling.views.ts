import type { ContainerResources, HostCapacity, PublishedPort } from './scheduling.events';
import type { PlacementStrategy, RestartPolicy } from './scheduling.limits';

/** What scheduling queries answer (read-model views), version 1. */

export type ContainerStatus =
  | 'pending' // accepted, not placed yet (or no host fits: see `lastPlacementFailure`)
  | 'scheduled' // placed, being created or started
  | 'running'
  | 'stopped' // stopped by the platform or the tenant
  | 'exited' // died: see `exitCode`
  | 'removed';

export interface ContainerView {
  readonly containerId: string;
  readonly environmentId: string;
  readonly serviceId: string | null;
  readonly replica: number | null;
  readonly hostId: string | null;
  readonly image: string;
  readonly status: ContainerStatus;
  readonly exitCode: number | null;
  /** Where to reach each published port: the host's address and the allocated port. */
  readonly ports: readonly PublishedPort[];
  readonly resources: ContainerResources;
  readonly restartPolicy: RestartPolicy;
  readonly labels: Readonly<Record<string, string>>;
  readonly lastPlacementFailure: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
}

export type RolloutStatus = 'idle' | 'rolling' | 'rolled-back';

export interface ServiceView {
  readonly serviceId: string;
  readonly name: string;
  readonly environmentId: string;
  readonly image: string;
  readonly revision: number;
  readonly replicas: { readonly desired: number; readonly running: number };
  readonly resources: ContainerResources;
  readonly strategy: PlacementStrategy;
  readonly update: { readonly maxUnavailable: number; readonly maxSurge: number };
  readonly rollout: { readonly status: RolloutStatus; readonly revision: number };
  readonly createdAt: string;
}

export type HostStatus = 'up' | 'down' | 'draining' | 'removed';

/** Platform admins' view of a host; never includes TLS material. */
export interface HostView {
  readonly hostId: string;
  readonly endpoint: string;
  readonly environmentId: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly dedicatedTenantId: string | null;
  readonly status: HostStatus;
  readonly capacity: HostCapacity;
  /** Reserved by the containers placed on it. */
  readonly allocated: HostCapacity;
  readonly containers: number;
  readonly lastSeenAt: string | null;
}

export interface LogLineView {
  readonly stream: 'stdout' | 'stderr';
  /** The engine's timestamp (ISO 8601). */
  readonly at: string;
  readonly line: string;
}

export interface ContainerLogsView {
  readonly containerId: string;
  readonly lines: readonly LogLineView[];
}

/** What a followed log publishes to the caller's inbox (see LOG_FOLLOW). */
export type LogFollowMessage =
  | ({ readonly type: 'line' } & LogLineView)
  | {
      readonly type: 'end';
      /** e.g. `container stopped`, `cancelled`, `no keepalive`, or what failed. */
      readonly reason: string;
    };

/** The answer to `followContainerLogs` once streaming has begun. */
export interface LogFollowStarted {
  readonly ok: true;
}

/** What a create answers: the new ids. */
export interface CreatedContainer {
  readonly containerId: string;
}

export interface CreatedService {
  readonly serviceId: string;
}

export interface RegisteredHost {
  readonly hostId: string;
}
