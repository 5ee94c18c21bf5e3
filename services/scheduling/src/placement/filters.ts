import type { FilterName, HostStatus, PlacementRequest } from './types';

/**
 * The filter stage, in this fixed order. Each host is counted against the first filter
 * that rejects it, and a failed placement names the filter after which no host was
 * left, so the order decides what the error says. It goes from the widest scope to the
 * narrowest, so that the error names the real cause:
 *
 * 1. environment: the host's environment is the request's. First, so "all 3 hosts in
 *    prod are down" is reported as such and not as "no host in prod".
 * 2. status: 'up' only; draining and down hosts never get new work.
 * 3. dedicated: a host dedicated to a tenant takes that tenant only; shared hosts take
 *    everyone, except a request with `dedicatedOnly`.
 * 4. constraints: the request's label selectors (`constraints.ts`).
 * 5. resources: free cpus and memory ≥ requested. Late, so "no host has 2 cpus free"
 *    speaks only of hosts the request could otherwise use.
 * 6. antiAffinity, **soft**: among the hosts that passed 1–5, keep those running the
 *    fewest replicas of the service. So no second replica goes on a host while another
 *    host qualifies, yet a service with more replicas than qualifying hosts still
 *    places. Hard anti-affinity (Nomad's distinct_hosts) would refuse the replacement of
 *    a replica whose host died in a 3-host environment, and the surge replica of a
 *    rolling update: a degraded service to honour a preference. It only chooses among
 *    hosts that fit, so it never eliminates the last candidate and is never the
 *    `failedConstraint`. (Placement tells the caller, in the reason, when it had to
 *    double up.)
 */
export const FILTER_ORDER: readonly FilterName[] = [
  'environment',
  'status',
  'dedicated',
  'constraints',
  'resources',
  'antiAffinity',
];

/** Counts with every filter at zero, in `FILTER_ORDER`. */
export function noneFiltered(): Record<FilterName, number> {
  return { environment: 0, status: 0, dedicated: 0, constraints: 0, resources: 0, antiAffinity: 0 };
}

export function inEnvironment(hostEnvironmentId: string, request: PlacementRequest): boolean {
  return hostEnvironmentId === request.environmentId;
}

export function acceptsWork(status: HostStatus): boolean {
  return status === 'up';
}

/** Dedicated hosts take their tenant only; shared hosts anyone, unless the request wants dedicated hosts only. */
export function openToTenant(dedicatedTenantId: string | undefined, request: PlacementRequest): boolean {
  return dedicatedTenantId ? dedicatedTenantId === request.tenantId : !request.dedicatedOnly;
}

/**
 * Tolerance of the resources filter. CPUs are fractions (0.1 + 0.2 ≠ 0.3 in binary), so
 * a host whose allocations sum to "exactly full" must still accept the last 0.1 cpu.
 */
export const CAPACITY_EPSILON = 1e-9;

/** The resources filter for one dimension: `free` is capacity − allocated. */
export function fits(free: number, requested: number): boolean {
  return requested <= free + CAPACITY_EPSILON;
}
