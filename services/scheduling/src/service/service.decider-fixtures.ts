import type { CreateServiceV1, ServiceTemplateData } from '@caas/contracts';
import type { ServiceCaller } from './service-access';
import type { ServiceEvent } from './service.events';

/** Shared given-events, commands and callers for the service decider specs (test-only). */
export const tenantId = '0b8e7f6a-1111-4c1d-9e2f-000000000001';
export const otherTenantId = '0b8e7f6a-1111-4c1d-9e2f-000000000002';
export const environmentId = 'e0000000-0000-4000-8000-000000000001';
export const serviceId = '5e000000-0000-4000-8000-000000000001';
export const at = '2026-11-22T10:00:00.000Z';

const user = (roles: string[], tenant = tenantId): ServiceCaller => ({
  tenantId: tenant,
  actor: { type: 'user', id: 'a0000000-0000-4000-8000-000000000001' },
  roles,
});
export const owner = user(['owner']);
export const developer = user(['developer']);
export const viewer = user(['viewer']);
export const developerKey: ServiceCaller = { tenantId, actor: { type: 'api-key', id: 'key-1' }, roles: ['developer'] };
export const otherTenantOwner = user(['owner'], otherTenantId);
export const platform: ServiceCaller = { tenantId, actor: { type: 'system', id: 'platform' }, roles: [] };
export const platformOfOtherTenant: ServiceCaller = { ...platform, tenantId: otherTenantId };

export const template1: ServiceTemplateData = {
  image: 'registry.example.com/acme/web:1',
  resources: { cpus: 0.5, memoryMb: 256 },
  env: { LOG_LEVEL: 'info' },
};
export const template2: ServiceTemplateData = { ...template1, image: 'registry.example.com/acme/web:2' };
export const template3: ServiceTemplateData = { ...template1, image: 'registry.example.com/acme/web:3' };
export const resources = { cpus: 0.5, memoryMb: 256, pidsLimit: 512 };

export const createSpec = (replicas = 3, update?: CreateServiceV1['update']): CreateServiceV1 =>
  ({ ...template1, name: 'web', environmentId, replicas, ...(update ? { update } : {}) }) as CreateServiceV1;

const fact = { tenantId, environmentId, serviceId, at };

export const created = (replicas = 3, update = { maxUnavailable: 0, maxSurge: 1 }): ServiceEvent => ({
  type: 'ServiceCreated',
  data: {
    ...fact,
    name: 'web',
    image: template1.image,
    replicas,
    resources,
    strategy: 'spread',
    revision: 1,
    template: template1,
    update,
  },
});

export const updated = (revision: number, previousRevision: number, template = template2): ServiceEvent => ({
  type: 'ServiceUpdated',
  data: {
    ...fact,
    revision,
    previousRevision,
    image: template.image,
    resources,
    maxUnavailable: 0,
    maxSurge: 1,
    template,
  },
});

export const scaled = (previousReplicas: number, replicas: number): ServiceEvent => ({
  type: 'ServiceScaled',
  data: { ...fact, previousReplicas, replicas, resources },
});
export const completed = (revision: number): ServiceEvent => ({
  type: 'RolloutCompleted',
  data: { ...fact, revision },
});
export const removed: ServiceEvent = { type: 'ServiceRemoved', data: fact };
export const started = (replicaId: string, revision: number): ServiceEvent => ({
  type: 'ReplicaStarted',
  data: { serviceId, replicaId, revision, at },
});
export const healthy = (replicaId: string): ServiceEvent => ({
  type: 'ReplicaBecameHealthy',
  data: { serviceId, replicaId, at },
});
export const failed = (replicaId: string, reason = 'HTTP 500'): ServiceEvent => ({
  type: 'ReplicaFailedHealthCheck',
  data: { serviceId, replicaId, reason, at },
});
export const stopped = (replicaId: string): ServiceEvent => ({
  type: 'ReplicaStopped',
  data: { serviceId, replicaId, at },
});
export const rolledBack = (
  failedRevision: number,
  restoredRevision: number,
  failedReplicaId: string,
): ServiceEvent => ({
  type: 'RolloutRolledBack',
  data: {
    ...fact,
    failedRevision,
    restoredRevision,
    reason: `replica ${failedReplicaId} of revision ${failedRevision} failed its health check: HTTP 500`,
    failedReplicaId,
  },
});

/** Three healthy replicas of revision 1: a service at rest. */
export const running3: ServiceEvent[] = [created(3), ...['a', 'b', 'c'].flatMap((id) => [started(id, 1), healthy(id)])];
