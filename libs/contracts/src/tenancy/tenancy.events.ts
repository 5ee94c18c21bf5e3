import type { PlatformRole, TenantRole } from './roles';

/**
 * Public events of the tenancy context, published on JetStream as
 * `caas.events.tenancy.<type>`. Every event's metadata carries `schemaVersion`; these
 * are version 1. Add fields compatibly; a breaking change is a new event type.
 */
export interface PlanQuotas {
  readonly maxContainers: number;
  readonly maxVcpu: number;
  readonly maxMemoryMb: number;
  readonly maxVolumeGb: number;
  readonly maxConcurrentBuilds: number;
  /** Megabytes of images in the platform registry (the tenant's distinct images); pushes stop at it. */
  readonly maxImageStorageMb: number;
}

export type TenancyEvent =
  | { type: 'PlanDefined'; data: { planId: string; name: string; quotas: PlanQuotas } }
  | { type: 'TenantCreated'; data: { tenantId: string; name: string; planId: string; ownerUserId: string } }
  | { type: 'TenantRenamed'; data: { tenantId: string; name: string } }
  | { type: 'TenantSuspended'; data: { tenantId: string; reason: string } }
  | { type: 'TenantResumed'; data: { tenantId: string } }
  | { type: 'TenantDeleted'; data: { tenantId: string } }
  | { type: 'TenantPlanChanged'; data: { tenantId: string; planId: string; effectiveAt: string } }
  | { type: 'MemberInvited'; data: { tenantId: string; invitationId: string; email: string; role: TenantRole } }
  | { type: 'MemberJoined'; data: { tenantId: string; invitationId: string | null; userId: string; role: TenantRole } }
  | { type: 'MemberRoleChanged'; data: { tenantId: string; userId: string; role: TenantRole } }
  | { type: 'MemberRemoved'; data: { tenantId: string; userId: string } }
  | { type: 'EnvironmentCreated'; data: { tenantId: string; environmentId: string; name: string } }
  | { type: 'EnvironmentDeleted'; data: { tenantId: string; environmentId: string } }
  | { type: 'UserSignedUp'; data: { userId: string; email: string; name: string } }
  | { type: 'PlatformRoleGranted'; data: { userId: string; role: PlatformRole } }
  | { type: 'ApiKeyCreated'; data: { keyId: string; tenantId: string; name: string; role: TenantRole; prefix: string } }
  | { type: 'ApiKeyRevoked'; data: { keyId: string; tenantId: string } };

export type TenancyEventType = TenancyEvent['type'];
