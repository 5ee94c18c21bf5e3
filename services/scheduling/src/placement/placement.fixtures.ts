import type { HostView, PlacementRequest } from './types';

/** An up, shared, empty 4-cpu / 8 GB host in prod, with `overrides`. */
export function host(hostId: string, overrides: Partial<Omit<HostView, 'hostId'>> = {}): HostView {
  return {
    hostId,
    status: 'up',
    environmentId: 'prod',
    labels: {},
    capacity: { cpus: 4, memoryMb: 8192 },
    allocated: { cpus: 0, memoryMb: 0, containers: 0 },
    ...overrides,
  };
}

/** A host with `cpus` and `memoryMb` already allocated (in `containers` containers). */
export function loaded(hostId: string, cpus: number, memoryMb: number, overrides: Partial<HostView> = {}): HostView {
  return host(hostId, { allocated: { cpus, memoryMb, containers: 1 }, ...overrides });
}

/** Tenant t1 asking for 1 cpu / 1024 MB in prod, with `overrides`. */
export function request(overrides: Partial<PlacementRequest> = {}): PlacementRequest {
  return { tenantId: 't1', environmentId: 'prod', resources: { cpus: 1, memoryMb: 1024 }, ...overrides };
}
