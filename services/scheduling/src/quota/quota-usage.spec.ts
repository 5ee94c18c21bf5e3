import { CaasError, type ServiceTemplateData } from '@caas/contracts';
import { type ContainerState, initialContainerState } from '../container/container.events';
import { type ServiceState, initialServiceState } from '../service/service.events';
import { checkQuota, demandOf, tenantUsage } from './quota-usage';

const TENANT = 'tenant-a';
const FREE = { maxContainers: 2, maxVcpu: 1, maxMemoryMb: 1024 };

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

function refusal(action: () => void): CaasError {
  try {
    action();
  } catch (error) {
    if (error instanceof CaasError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
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

describe('checkQuota', () => {
  it('allows up to the limit exactly (cpus compared in hundredths)', () => {
    expect(() =>
      checkQuota(FREE, { containers: 1, cpus: 0.1 + 0.2, memoryMb: 512 }, { containers: 1, cpus: 0.7, memoryMb: 512 }),
    ).not.toThrow();
  });

  it('refuses the third container of the free plan, naming maxContainers', () => {
    const error = refusal(() =>
      checkQuota(FREE, demandOf(2, { cpus: 0.1, memoryMb: 64 }), demandOf(1, { cpus: 0.1, memoryMb: 64 })),
    );
    expect(error.code).toBe('quota_exceeded');
    expect(error.message).toContain('maxContainers');
    expect(error.extra.details).toEqual({ limit: 'maxContainers', allowed: 2, inUse: 2, requested: 1 });
  });

  it('names maxVcpu and maxMemoryMb with what is in use and what was asked', () => {
    expect(refusal(() => checkQuota(FREE, NO_USE, { containers: 1, cpus: 1.5, memoryMb: 64 })).extra.details).toEqual({
      limit: 'maxVcpu',
      allowed: 1,
      inUse: 0,
      requested: 1.5,
    });
    expect(
      refusal(() =>
        checkQuota(FREE, { containers: 1, cpus: 0.5, memoryMb: 1000 }, { containers: 0, cpus: 0, memoryMb: 100 }),
      ).extra.details,
    ).toEqual({ limit: 'maxMemoryMb', allowed: 1024, inUse: 1000, requested: 100 });
  });

  it('checks only the limits the request adds to: a tenant over one limit may still shrink or grow another', () => {
    const overCpu = { containers: 2, cpus: 3, memoryMb: 256 };
    expect(() => checkQuota(FREE, overCpu, { containers: 0, cpus: 0, memoryMb: 128 })).not.toThrow();
    expect(() => checkQuota(FREE, overCpu, { containers: -1, cpus: -1, memoryMb: -64 })).not.toThrow();
  });
});

const NO_USE = { containers: 0, cpus: 0, memoryMb: 0 };
