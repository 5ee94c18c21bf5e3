import { CaasError } from '@caas/contracts';

/**
 * Engine-side names derived from the tenant. They are what keeps tenants apart on a
 * shared host: a name a tenant chooses is only ever a suffix after its own id.
 */

/** Any UUID: fixed length, so `caas-<tenantId>-<name>` splits one way only (see tenantVolumeName). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Docker's rule for container and volume names. */
const ENGINE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function assertTenantId(tenantId: string): void {
  if (!UUID.test(tenantId)) throw new CaasError('internal', `Security policy: tenant id '${tenantId}' is not a UUID`);
}

/** The tenant's own bridge network on each host; containers of other tenants are never on it. */
export function tenantNetworkName(tenantId: string): string {
  assertTenantId(tenantId);
  return `caas-tenant-${tenantId}`;
}

/**
 * `caas-<tenantId>-<name>`. Because the tenant id is a UUID (36 characters, always),
 * the first 42 characters of a volume name are its tenant: tenant A's `x-y` can never
 * be tenant B's anything, whatever A names its volumes.
 */
export function tenantVolumeName(tenantId: string, name: string): string {
  assertTenantId(tenantId);
  return `caas-${tenantId}-${name}`;
}

/**
 * The inverse of tenantVolumeName: the tenant and its own name, or undefined for an
 * engine volume that is no tenant's (anonymous volumes, anything made by hand).
 */
export function parseTenantVolumeName(engineName: string): { tenantId: string; volumeName: string } | undefined {
  // `caas-` (5) + the tenant's UUID (36) + `-`: the first 42 characters.
  if (!engineName.startsWith('caas-') || engineName[41] !== '-') return undefined;
  const tenantId = engineName.slice(5, 41);
  const volumeName = engineName.slice(42);
  return UUID.test(tenantId) && volumeName ? { tenantId, volumeName } : undefined;
}

/** `caas-<first 8 of tenantId>-<containerId>`: unique per host, readable in `docker ps`. */
export function engineContainerName(tenantId: string, containerId: string): string {
  assertTenantId(tenantId);
  if (!ENGINE_NAME.test(containerId)) {
    throw new CaasError('internal', `Security policy: container id '${containerId}' is not a valid engine name`);
  }
  return `caas-${tenantId.slice(0, 8)}-${containerId}`;
}
