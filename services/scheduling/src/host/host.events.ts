import type { HostCapacity, HostStatus, SchedulingEvent } from '@caas/contracts';
import { streamName } from '@caas/event-store';
import { assertNever } from '@caas/domain';

export const hostStream = (hostId: string) => streamName('host', hostId);

/** A host's stream: registered, then up/down as heartbeats say, drained, removed. */
export type HostEvent = Extract<
  SchedulingEvent,
  { type: 'HostRegistered' | 'HostDown' | 'HostUp' | 'HostDrained' | 'HostRemoved' }
>;

export interface HostState {
  /** `none` before HostRegistered; `removed` is final. */
  readonly lifecycle: 'none' | 'registered' | 'removed';
  readonly hostId: string;
  readonly endpoint: string;
  readonly environmentId: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly dedicatedTenantId: string | null;
  readonly capacity: HostCapacity;
  /** What the heartbeat monitor last decided: a host starts up when registered. */
  readonly health: 'up' | 'down';
  /** Drained hosts take no new containers (for good: there is no undrain yet). */
  readonly drained: boolean;
  /** When the last HostDown said it was last seen; null while it answers. */
  readonly lastSeenAt: string | null;
}

export const initialHostState = (): HostState => ({
  lifecycle: 'none',
  hostId: '',
  endpoint: '',
  environmentId: '',
  labels: {},
  dedicatedTenantId: null,
  capacity: { cpus: 0, memoryMb: 0 },
  health: 'up',
  drained: false,
  lastSeenAt: null,
});

export function evolveHost(state: HostState, event: HostEvent): HostState {
  switch (event.type) {
    case 'HostRegistered': {
      const { hostId, endpoint, environmentId, labels, dedicatedTenantId, capacity } = event.data;
      return {
        ...state,
        lifecycle: 'registered',
        hostId,
        endpoint,
        environmentId,
        labels,
        dedicatedTenantId,
        capacity,
        health: 'up',
      };
    }
    case 'HostDown':
      return { ...state, health: 'down', lastSeenAt: event.data.lastSeenAt };
    case 'HostUp':
      return { ...state, health: 'up', lastSeenAt: null };
    case 'HostDrained':
      return { ...state, drained: true };
    case 'HostRemoved':
      return { ...state, lifecycle: 'removed' };
    default:
      return assertNever(event);
  }
}

/** The status the views show: removed, else down, else draining, else up. */
export function hostStatus(state: HostState): HostStatus | 'none' {
  if (state.lifecycle !== 'registered') return state.lifecycle;
  if (state.health === 'down') return 'down';
  return state.drained ? 'draining' : 'up';
}

/** Placement may put new containers here: registered, up and not drained. */
export const acceptsContainers = (state: HostState): boolean => hostStatus(state) === 'up';
