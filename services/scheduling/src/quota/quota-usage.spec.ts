import type { ServiceTemplateData } from '@caas/contracts';
import { type ContainerState, initialContainerState } from '../container/container.events';
import { type ServiceState, initialServiceState } from '../service/service.events';
import { tenantUsage } from './quota-usage';

const TENANT = 'tenant-a';

function container(overrides: Partial<ContainerState>): ContainerState {
  return {
    ...initialContainerState(),
    lifecycle: 'scheduled',
    tenantId: TENANT,
    containerId: `c-${Math.random()}`,
    resources: { cpus: 0.25, memoryMb: 128, pidsLimit: 512 },
    ...overrides,
  };
}

function service(overrides: Partial<ServiceState>, resources = { cpus: 0.1, memoryMb: 64 }): ServiceState {
  const template = { image: 'web:1', resources } as ServiceTemplateData;
  return {
    ...initialServiceState(),
    status: 'active',
    tenantId: TENANT,
    replicas: 2,
    revision: 2,
    templates: { 1: { ...template, resources: { cpus: 4, memoryMb: 4096 } } as ServiceTemplateData, 2: template },
    ...overrides,
  };
}

describe('tenantUsage', () => {
  it('counts standalone containers not deleted or removed, and services by desired replicas × latest revision', () => {
    const usage = tenantUsage(
      TENANT,
      [
        container({}),
        container({ desired: 'deleted' }),
        container({ observed: 'removed' }),
        container({ tenantId: 'tenant-b' }),
        // A replica counts through its service, never as a container too.
        container({ serviceId: 'svc-1', replica: 0 }),
        container({ lifecycle: 'none' }),
      ],
      [service({}), service({ status: 'removed' }), service({ tenantId: 'tenant-b' })],
    );
    expect(usage).toEqual({ containers: 3, cpus: 0.45, memoryMb: 256 });
  });
});

// The rule usage is checked against (checkQuota, limitsExceeded) is tested beside it: libs/contracts/src/tenancy/plan-limits.spec.ts.
