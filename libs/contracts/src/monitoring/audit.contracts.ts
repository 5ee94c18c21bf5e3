import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, Max } from 'class-validator';
import type { PublicEvent } from '../events';

/**
 * The audit log: every public event of every context, as monitoring stored it from
 * CAAS_EVENTS, and any public aggregate's state as of a past time (replayed by the
 * service that owns its stream).
 */
export const AUDIT = {
  /** The caller's tenant's changes, newest first (ListAuditV1 → AuditPage); platform admins without a tenant: all. */
  list: 'monitoring.audit.list',
} as const;

/** `<service>.audit.state` (AuditStateV1 → StateAsOfView): answered by the service that owns the stream. */
export const stateAsOfPattern = (service: StateOwner) => `${service}.audit.state`;

export type StateOwner = 'tenancy' | 'scheduling' | 'images' | 'billing' | 'monitoring';

/**
 * Which service replays a stream category's state. Public categories only: private ones
 * (credential, emailclaim, apikeysecret, hostcredentials, replicationcredentials,
 * webhooksecret, meter, …) hold secrets or internals and are never answered.
 */
export const STATE_OWNERS: Readonly<Record<string, StateOwner>> = Object.freeze({
  tenant: 'tenancy',
  user: 'tenancy',
  apikey: 'tenancy',
  plan: 'tenancy',
  container: 'scheduling',
  service: 'scheduling',
  host: 'scheduling',
  volume: 'scheduling',
  repository: 'images',
  submission: 'images',
  replication: 'images',
  pricebook: 'billing',
  invoice: 'billing',
  rerating: 'billing',
  webhook: 'monitoring',
});

export const AUDIT_LIMITS = { defaultLimit: 50, maxLimit: 200 } as const;
export const ACTOR_TYPES = ['user', 'api-key', 'system'] as const;

/** `<category>-<id>`, as stream names are written (the category has no `-`). */
const STREAM_NAME = /^[a-z][a-z0-9]*-[A-Za-z0-9_.:@-]+$/;

/** Filters of `GET /v1/audit`; every one optional, combined with AND. Query-string text is converted. */
export class ListAuditV1 {
  @ApiPropertyOptional({ description: 'The actor’s id (a user id, an API key id, `platform`)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ enum: ACTOR_TYPES })
  @IsOptional()
  @IsIn(ACTOR_TYPES)
  actorType?: (typeof ACTOR_TYPES)[number];

  @ApiPropertyOptional({ description: 'An event type, e.g. `TenantRenamed`' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  type?: string;

  @ApiPropertyOptional({ description: 'The command that recorded it, e.g. `RenameTenant`' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  command?: string;

  @ApiPropertyOptional({ description: 'The owning service: tenancy, scheduling, images, billing, monitoring' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  context?: string;

  @ApiPropertyOptional({ description: '`<category>-<id>`, e.g. `tenant-…`' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  stream?: string;

  @ApiPropertyOptional({ description: 'The X-Correlation-Id of the request that caused the changes' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  correlationId?: string;

  @ApiPropertyOptional({ description: 'Changes at or after this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Changes at or before this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: AUDIT_LIMITS.maxLimit, default: AUDIT_LIMITS.defaultLimit })
  @IsOptional()
  // From the query string "50" arrives as text.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUDIT_LIMITS.maxLimit)
  limit?: number;

  @ApiPropertyOptional({ description: 'Page: changes older than this sequence (the previous page’s `nextBefore`)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;

  @ApiPropertyOptional({ description: 'Platform admins without a tenant in scope: only this tenant’s changes' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

/** One page of the audit log, newest first. */
export interface AuditPage {
  readonly items: PublicEvent[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  readonly nextBefore: number | null;
}

/** `GET /v1/audit/state`: a stream's state as of a time. */
export class AuditStateV1 {
  @ApiProperty({ description: '`<category>-<id>` of a public aggregate, e.g. `tenant-…`, `container-…`' })
  @IsString()
  @MaxLength(300)
  @Matches(STREAM_NAME, { message: 'stream must be <category>-<id>' })
  stream!: string;

  @ApiProperty({ description: 'The time (ISO 8601): the state after every change recorded at or before it' })
  @IsISO8601({ strict: true })
  at!: string;
}

/** An aggregate's state replayed from its stream up to `asOf`. */
export interface StateAsOfView {
  readonly stream: string;
  readonly asOf: string;
  /** The stream revision of the last change at or before `asOf` (decimal string). */
  readonly revision: string;
  /** When that last change was recorded. */
  readonly changedAt: string;
  /** Null for platform-level streams (users, plans, shared hosts, the market). */
  readonly tenantId: string | null;
  /** The owning service's aggregate state; secrets (environment variable values) masked. */
  readonly state: unknown;
}
