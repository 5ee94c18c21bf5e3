import type {
  ContainerResources,
  ContainerStopReason,
  PublishedPort,
  SchedulingEvent,
  SchedulingEventData,
} from '@caas/contracts';
import { streamName } from '@caas/event-store';
import { engineContainerName } from '../policy/names';
import type { RuntimeContainerSpec } from '../runtime/runtime-spec';
import { assertNever } from '@caas/domain';

export const containerStream = (containerId: string) => streamName('container', containerId);

/**
 * Private: the runtime spec the security policy made for this container on its host —
 * what the reconciler creates it from. Never relayed: it holds the tenant's environment
 * variables. Recorded with ContainerScheduled, in the same append.
 */
export interface ContainerSpecRecordedData {
  readonly containerId: string;
  readonly spec: RuntimeContainerSpec;
  /**
   * The tenant's own labels, for its views. Never on the engine: only the platform's
   * labels are, since they are how observed containers are matched to desired state.
   */
  readonly labels: Readonly<Record<string, string>>;
  readonly at: string;
}

/** The container stream's event types JetStream may carry (everything but the spec). */
export const PUBLIC_CONTAINER_EVENTS = [
  'PlacementDecided',
  'ContainerScheduled',
  'ContainerStartRequested',
  'ContainerStopRequested',
  'ContainerRestartRequested',
  'ContainerDeleteRequested',
  'ContainerStarted',
  'ContainerStopped',
  'ContainerDied',
  'ContainerRemoved',
  'ContainerCommitted',
] as const;

/** One container's stream: placed, what it should be (desired), what its engine did (observed). */
export type ContainerEvent =
  | { type: 'ContainerSpecRecorded'; data: ContainerSpecRecordedData }
  | Extract<
      SchedulingEvent,
      {
        type:
          | 'PlacementDecided'
          | 'ContainerScheduled'
          | 'ContainerStartRequested'
          | 'ContainerStopRequested'
          | 'ContainerRestartRequested'
          | 'ContainerDeleteRequested'
          | 'ContainerStarted'
          | 'ContainerStopped'
          | 'ContainerDied'
          | 'ContainerRemoved'
          | 'ContainerCommitted';
      }
    >;

/** What the tenant (or the platform) wants. */
export type DesiredContainerState = 'running' | 'stopped' | 'deleted';

/**
 * What the engine was last recorded doing: `scheduled` until it first starts, `exited`
 * after it died, `removed` (final) once it is gone from its host.
 */
export type ObservedContainerState = 'scheduled' | 'running' | 'stopped' | 'exited' | 'removed';

export interface ContainerState {
  readonly lifecycle: 'none' | 'scheduled';
  readonly tenantId: string;
  readonly environmentId: string;
  readonly containerId: string;
  readonly serviceId: string | null;
  readonly replica: number | null;
  readonly hostId: string;
  /** The name on its engine (`caas-<tenantId8>-<containerId>`): how the reconciler finds it. */
  readonly engineName: string;
  /** What to create it from (ContainerSpecRecorded); null only for streams recorded before it existed. */
  readonly spec: RuntimeContainerSpec | null;
  readonly image: string;
  readonly ports: readonly PublishedPort[];
  readonly resources: ContainerResources;
  readonly desired: DesiredContainerState;
  readonly observed: ObservedContainerState;
  /** The engine time of the last observed fact recorded; older facts are redeliveries. */
  readonly observedAt: string | null;
  /** A start was asked for (scheduled, start, restart) and no ContainerStarted has followed yet. */
  readonly startPending: boolean;
  /** A restart was asked for while it ran: it is to be stopped, then started. */
  readonly restartPending: boolean;
  /** Why the last stop or delete was asked for; null while desired running. */
  readonly stopReason: ContainerStopReason | null;
  readonly stopTimeoutSeconds: number | null;
  readonly exitCode: number | null;
  readonly oomKilled: boolean;
}

export const initialContainerState = (): ContainerState => ({
  lifecycle: 'none',
  tenantId: '',
  environmentId: '',
  containerId: '',
  serviceId: null,
  replica: null,
  hostId: '',
  engineName: '',
  spec: null,
  image: '',
  ports: [],
  resources: { cpus: 0, memoryMb: 0, pidsLimit: 0 },
  desired: 'running',
  observed: 'scheduled',
  observedAt: null,
  startPending: false,
  restartPending: false,
  stopReason: null,
  stopTimeoutSeconds: null,
  exitCode: null,
  oomKilled: false,
});

export function evolveContainer(state: ContainerState, event: ContainerEvent): ContainerState {
  switch (event.type) {
    case 'PlacementDecided':
      return state; // the reason is for people; ContainerScheduled carries the placement
    case 'ContainerScheduled':
      return scheduled(state, event.data);
    case 'ContainerSpecRecorded':
      return { ...state, spec: event.data.spec };
    case 'ContainerStartRequested':
      return { ...state, desired: 'running', startPending: true, restartPending: false, ...noStop };
    case 'ContainerRestartRequested':
      return {
        ...state,
        desired: 'running',
        startPending: true,
        restartPending: state.observed === 'running',
        ...noStop,
      };
    case 'ContainerStopRequested':
      return { ...state, desired: 'stopped', ...stopAsked(event.data) };
    case 'ContainerDeleteRequested':
      return { ...state, desired: 'deleted', ...stopAsked(event.data) };
    case 'ContainerStarted':
      return {
        ...state,
        observed: 'running',
        observedAt: event.data.at,
        startPending: false,
        restartPending: false,
        exitCode: null,
        oomKilled: false,
      };
    case 'ContainerStopped':
      return { ...state, observed: 'stopped', observedAt: event.data.at, restartPending: false };
    case 'ContainerDied':
      return {
        ...state,
        observed: 'exited',
        observedAt: event.data.at,
        restartPending: false,
        exitCode: event.data.exitCode,
        oomKilled: event.data.oomKilled,
      };
    case 'ContainerCommitted':
      return state; // an image was made of it; the container itself is unchanged
    case 'ContainerRemoved':
      return {
        ...state,
        desired: 'deleted',
        observed: 'removed',
        observedAt: event.data.at,
        startPending: false,
        restartPending: false,
      };
    default:
      return assertNever(event);
  }
}

const noStop = { stopReason: null, stopTimeoutSeconds: null } as const;

const stopAsked = (data: SchedulingEventData<'ContainerStopRequested' | 'ContainerDeleteRequested'>) =>
  ({
    startPending: false,
    restartPending: false,
    stopReason: data.reason,
    stopTimeoutSeconds: data.timeoutSeconds,
  }) as const;

function scheduled(state: ContainerState, data: SchedulingEventData<'ContainerScheduled'>): ContainerState {
  const { tenantId, environmentId, containerId, serviceId, replica, hostId, resources, image, ports } = data;
  return {
    ...state,
    lifecycle: 'scheduled',
    tenantId,
    environmentId,
    containerId,
    serviceId,
    replica,
    hostId,
    // Events recorded before engineName was added name it the same way.
    engineName: data.engineName ?? engineContainerName(tenantId, containerId),
    image,
    ports,
    resources,
    desired: 'running',
    observed: 'scheduled',
    startPending: true,
  };
}
