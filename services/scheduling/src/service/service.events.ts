import type { ContainerResources, RolloutLimits, SchedulingEvent, ServiceTemplateData } from '@caas/contracts';
import { assertNever } from '@caas/domain';

/** One stream per service: `service-<serviceId>`. */
export const serviceStream = (serviceId: string): string => `service-${serviceId}`;

/**
 * Facts the reconciler reports about one replica (a container of the service). They
 * live in the service's stream because the rollout decides on them, but they are
 * private: the relay must publish only the public `SchedulingEvent` types of this
 * stream (containers have their own public events).
 */
interface ReplicaFact {
  readonly serviceId: string;
  /** The container id of the replica. */
  readonly replicaId: string;
  readonly at: string;
}

export interface ReplicaStartedData extends ReplicaFact {
  /** The template revision the replica was started from. */
  readonly revision: number;
}
export type ReplicaBecameHealthyData = ReplicaFact;
export interface ReplicaFailedHealthCheckData extends ReplicaFact {
  readonly reason: string;
}
export type ReplicaStoppedData = ReplicaFact;

/** The public event types of a service stream (what the relay may publish). */
export const PUBLIC_SERVICE_EVENTS = [
  'ServiceCreated',
  'ServiceScaled',
  'ServiceUpdated',
  'RolloutCompleted',
  'RolloutRolledBack',
  'ServiceRemoved',
] as const;

export type ServiceEvent =
  | Extract<SchedulingEvent, { type: (typeof PUBLIC_SERVICE_EVENTS)[number] }>
  | { type: 'ReplicaStarted'; data: ReplicaStartedData }
  | { type: 'ReplicaBecameHealthy'; data: ReplicaBecameHealthyData }
  | { type: 'ReplicaFailedHealthCheck'; data: ReplicaFailedHealthCheckData }
  | { type: 'ReplicaStopped'; data: ReplicaStoppedData };

export type ReplicaHealth = 'starting' | 'healthy' | 'failed';

export interface Replica {
  readonly id: string;
  readonly revision: number;
  readonly health: ReplicaHealth;
}

/**
 * `idle`: the replicas should run `stableRevision`. `rolling`: they are being moved to
 * `target`; `rollingBackFrom` is set when the move is a rollback of that revision.
 */
export type Rollout =
  | { readonly status: 'idle' }
  | { readonly status: 'rolling'; readonly target: number; readonly rollingBackFrom: number | null };

export interface ServiceState {
  readonly status: 'none' | 'active' | 'removed';
  readonly tenantId: string;
  readonly environmentId: string;
  readonly serviceId: string;
  readonly name: string;
  /** Desired replicas. */
  readonly replicas: number;
  readonly update: RolloutLimits;
  /** The latest template revision (1 at creation, +1 per ServiceUpdated). */
  readonly revision: number;
  /** The last revision whose rollout completed: what a rollback restores. */
  readonly stableRevision: number;
  readonly templates: Readonly<Record<number, ServiceTemplateData>>;
  readonly rollout: Rollout;
  /** The replicas the reconciler reported started and not yet stopped, by id. */
  readonly running: Readonly<Record<string, Replica>>;
}

export const initialServiceState = (): ServiceState => ({
  status: 'none',
  tenantId: '',
  environmentId: '',
  serviceId: '',
  name: '',
  replicas: 0,
  update: { maxUnavailable: 0, maxSurge: 1 },
  revision: 0,
  stableRevision: 0,
  templates: {},
  rollout: { status: 'idle' },
  running: {},
});

/** The revision every replica should run now. */
export function targetRevision(state: ServiceState): number {
  return state.rollout.status === 'rolling' ? state.rollout.target : state.stableRevision;
}

export function resourcesOf(template: ServiceTemplateData, defaultPidsLimit: number): ContainerResources {
  return {
    cpus: template.resources.cpus,
    memoryMb: template.resources.memoryMb,
    pidsLimit: template.resources.pidsLimit ?? defaultPidsLimit,
  };
}

function withReplica(state: ServiceState, id: string, change: (replica: Replica) => Replica): ServiceState {
  const replica = state.running[id];
  return replica ? { ...state, running: { ...state.running, [id]: change(replica) } } : state;
}

export function evolveService(state: ServiceState, event: ServiceEvent): ServiceState {
  switch (event.type) {
    case 'ServiceCreated': {
      const { data } = event;
      return {
        ...state,
        status: 'active',
        tenantId: data.tenantId,
        environmentId: data.environmentId,
        serviceId: data.serviceId,
        name: data.name,
        replicas: data.replicas,
        update: data.update,
        revision: data.revision,
        stableRevision: data.revision,
        templates: { [data.revision]: data.template },
        rollout: { status: 'idle' },
      };
    }
    case 'ServiceScaled':
      return { ...state, replicas: event.data.replicas };
    case 'ServiceUpdated': {
      const { data } = event;
      return {
        ...state,
        revision: data.revision,
        update: { maxUnavailable: data.maxUnavailable, maxSurge: data.maxSurge },
        templates: { ...state.templates, [data.revision]: data.template },
        rollout: { status: 'rolling', target: data.revision, rollingBackFrom: null },
      };
    }
    case 'RolloutCompleted':
      return { ...state, stableRevision: event.data.revision, rollout: { status: 'idle' } };
    case 'RolloutRolledBack':
      return {
        ...state,
        rollout: {
          status: 'rolling',
          target: event.data.restoredRevision,
          rollingBackFrom: event.data.failedRevision,
        },
      };
    case 'ServiceRemoved':
      return { ...state, status: 'removed', rollout: { status: 'idle' } };
    case 'ReplicaStarted': {
      const { replicaId, revision } = event.data;
      return { ...state, running: { ...state.running, [replicaId]: { id: replicaId, revision, health: 'starting' } } };
    }
    case 'ReplicaBecameHealthy':
      return withReplica(state, event.data.replicaId, (replica) => ({ ...replica, health: 'healthy' }));
    case 'ReplicaFailedHealthCheck':
      return withReplica(state, event.data.replicaId, (replica) => ({ ...replica, health: 'failed' }));
    case 'ReplicaStopped': {
      const running = { ...state.running };
      delete running[event.data.replicaId];
      return { ...state, running };
    }
    default:
      return assertNever(event);
  }
}
