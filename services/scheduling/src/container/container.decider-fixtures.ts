import { LABELS, type RuntimeContainerSpec } from '../runtime/runtime-spec';
import type { ContainerEvent } from './container.events';
import type { ScheduleContainer } from './schedule-container';

/** Shared given-events and commands for the container decider specs (test-only). */
export const tenantId = '0b8e7f6a-1111-4c1d-9e2f-000000000001';
export const otherTenantId = '0b8e7f6a-2222-4c1d-9e2f-000000000002';
export const environmentId = 'e0000000-0000-4000-8000-000000000001';
export const containerId = 'c0000000-0000-4000-8000-000000000001';
export const serviceId = '50000000-0000-4000-8000-000000000001';
export const hostId = 'b0000000-0000-4000-8000-000000000001';
export const engineName = 'caas-0b8e7f6a-c0000000-0000-4000-8000-000000000001';
export const resources = { cpus: 0.5, memoryMb: 256, pidsLimit: 512 };
export const ports = [{ containerPort: 8080, hostPort: 31001, protocol: 'tcp', hostIp: '127.0.0.1' }] as const;

export const t0 = '2026-11-22T10:00:00.000Z';
export const t1 = '2026-11-22T10:00:01.000Z';
export const t2 = '2026-11-22T10:00:02.000Z';
export const t3 = '2026-11-22T10:00:03.000Z';
export const t4 = '2026-11-22T10:00:04.000Z';

export const runtimeSpec: RuntimeContainerSpec = {
  name: engineName,
  image: 'caas/busybox:1',
  command: ['httpd', '-f', '-p', '8080'],
  env: { LOG_LEVEL: 'info' },
  ports: [...ports],
  resources,
  volumes: [],
  restartPolicy: 'unless-stopped',
  labels: {
    [LABELS.managed]: 'true',
    [LABELS.tenant]: tenantId,
    [LABELS.container]: containerId,
    [LABELS.host]: hostId,
  },
  network: `caas-tenant-${tenantId}`,
};

export const schedule: ScheduleContainer = {
  kind: 'ScheduleContainer',
  tenantId,
  containerId,
  environmentId,
  placement: {
    hostId,
    reason: 'spread: least allocated of 3 candidates',
    score: 0.75,
    candidates: 3,
    strategy: 'spread',
  },
  spec: runtimeSpec,
  at: t0,
};

/** The fields every event of this container carries. */
export const fact = (at: string) => ({
  tenantId,
  environmentId,
  containerId,
  serviceId: null,
  replica: null,
  hostId,
  resources,
  at,
});

export const scheduled: ContainerEvent = {
  type: 'ContainerScheduled',
  data: {
    ...fact(t0),
    image: 'caas/busybox:1',
    ports: [...ports],
    reason: 'spread: least allocated of 3 candidates',
    engineName,
  },
};
export const placementDecided: ContainerEvent = {
  type: 'PlacementDecided',
  data: {
    tenantId,
    environmentId,
    containerId,
    serviceId: null,
    replica: null,
    resources,
    at: t0,
    strategy: 'spread',
    hostId,
    score: 0.75,
    candidates: 3,
    reason: 'spread: least allocated of 3 candidates',
  },
};
export const specRecorded: ContainerEvent = {
  type: 'ContainerSpecRecorded',
  data: { containerId, spec: runtimeSpec, labels: {}, at: t0 },
};
/** What ScheduleContainer records, in order. */
export const scheduledAll: ContainerEvent[] = [placementDecided, scheduled, specRecorded];

export const started = (at = t1): ContainerEvent => ({ type: 'ContainerStarted', data: fact(at) });
export const died = (at = t2, exitCode = 1, oomKilled = false): ContainerEvent => ({
  type: 'ContainerDied',
  data: { ...fact(at), exitCode, oomKilled },
});
export const stopped = (at = t2, reason: 'requested' | 'host-drained' = 'requested'): ContainerEvent => ({
  type: 'ContainerStopped',
  data: { ...fact(at), reason },
});
export const removed = (at = t3, reason: 'requested' | 'scaled-down' = 'requested'): ContainerEvent => ({
  type: 'ContainerRemoved',
  data: { ...fact(at), reason },
});
export const startRequested = (at = t2): ContainerEvent => ({ type: 'ContainerStartRequested', data: fact(at) });
export const restartRequested = (at = t2): ContainerEvent => ({ type: 'ContainerRestartRequested', data: fact(at) });
export const stopRequested = (at = t2, timeoutSeconds: number | null = null): ContainerEvent => ({
  type: 'ContainerStopRequested',
  data: { ...fact(at), reason: 'requested', timeoutSeconds },
});
export const deleteRequested = (
  at = t2,
  reason: 'requested' | 'scaled-down' = 'requested',
  timeoutSeconds: number | null = null,
): ContainerEvent => ({
  type: 'ContainerDeleteRequested',
  data: { ...fact(at), reason, timeoutSeconds },
});

export const running: ContainerEvent[] = [scheduled, started()];
export const deleted: ContainerEvent[] = [...running, deleteRequested()];
export const gone: ContainerEvent[] = [...deleted, removed()];
