import type { Actor, AuditPage, PublicEvent, StateAsOfView } from '@caas/contracts';
import { ApiProperty } from '@nestjs/swagger';

/* Swagger classes for the audit views (interfaces in the contract; `implements` keeps these in step). */

export class AuditActorDto implements Actor {
  @ApiProperty({ enum: ['user', 'api-key', 'system'] }) type!: Actor['type'];
  @ApiProperty({ description: 'A user id, an API key id, or `platform`' }) id!: string;
}

export class AuditEventDto implements PublicEvent {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Its CAAS_EVENTS sequence: the one order across every context' }) sequence!: number;
  @ApiProperty({ example: 'TenantRenamed' }) type!: string;
  @ApiProperty({ example: 'tenancy' }) context!: string;
  @ApiProperty({ example: 1 }) schemaVersion!: number;
  @ApiProperty({ type: String, nullable: true }) tenantId!: string | null;
  @ApiProperty({ example: 'tenant-6f1c…' }) stream!: string;
  @ApiProperty({ example: '3', description: 'Revision in its stream' }) revision!: string;
  @ApiProperty({ format: 'date-time' }) created!: string;
  @ApiProperty({ type: AuditActorDto, nullable: true }) actor!: AuditActorDto | null;
  @ApiProperty({ type: String, nullable: true, example: 'RenameTenant' }) command!: string | null;
  @ApiProperty({ type: String, nullable: true }) correlationId!: string | null;
  @ApiProperty({ type: String, nullable: true }) causationId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: unknown;
}

export class AuditPageDto implements AuditPage {
  @ApiProperty({ type: [AuditEventDto] }) items!: AuditEventDto[];
  @ApiProperty({ type: Number, nullable: true, description: 'Pass as `before` for the next, older page' })
  nextBefore!: number | null;
}

export class StateAsOfViewDto implements StateAsOfView {
  @ApiProperty() stream!: string;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ example: '2' }) revision!: string;
  @ApiProperty({ format: 'date-time' }) changedAt!: string;
  @ApiProperty({ type: String, nullable: true }) tenantId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Environment values masked as ***' })
  state!: unknown;
}
