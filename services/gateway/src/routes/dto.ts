import {
  ChangeMemberRoleV1,
  ERROR_STATUS,
  TENANT_ROLES,
  type ApiKeyView,
  type CreatedApiKey,
  type EnvironmentView,
  type FieldViolation,
  type InvitationView,
  type MemberView,
  type PlanQuotas,
  type PlanView,
  type TenantRole,
  type TenantView,
} from '@caas/contracts';
import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';

/*
 * Request bodies are the contract classes themselves (validation and documentation in
 * one place). The classes below only document responses: the views are interfaces in
 * the contract, and `implements` keeps these in step with them.
 */

/** PATCH /v1/members/{userId}: the user comes from the path. */
export class ChangeMemberRoleBody extends PickType(ChangeMemberRoleV1, ['role'] as const) {}

export class FieldViolationDto implements FieldViolation {
  @ApiProperty({ example: 'name' }) field!: string;
  @ApiProperty({ example: 'maxLength' }) rule!: string;
  @ApiProperty({ example: 'name must be shorter than or equal to 63 characters' }) message!: string;
}

export class ErrorResponseDto {
  @ApiProperty({ enum: Object.keys(ERROR_STATUS), example: 'validation' }) code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ type: [FieldViolationDto] }) violations?: FieldViolationDto[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) details?: Record<string, unknown>;
  @ApiProperty({ description: 'The X-Correlation-Id of the request' }) correlationId!: string;
}

export class SignedUpDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
}

export class TokenDto {
  @ApiProperty({ description: 'HS256 JWT, to send as "Authorization: Bearer <token>"' }) token!: string;
  @ApiProperty({ example: 3600, description: 'Seconds until the token expires' }) expiresIn!: number;
}

export class TenantTokenDto extends TokenDto {
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ enum: TENANT_ROLES }) role!: TenantRole;
}

export class TenantViewDto implements TenantView {
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['active', 'suspended', 'deleted'] }) status!: TenantView['status'];
  @ApiProperty() planId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ enum: TENANT_ROLES, description: "The caller's role, when a member" }) role?: TenantRole;
}

export class MemberViewDto implements MemberView {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: TENANT_ROLES }) role!: TenantRole;
  @ApiProperty({ format: 'date-time' }) joinedAt!: string;
}

export class InvitationViewDto implements InvitationView {
  @ApiProperty({ format: 'uuid' }) invitationId!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: TENANT_ROLES }) role!: TenantRole;
  @ApiProperty({ enum: ['pending', 'accepted'] }) status!: InvitationView['status'];
  @ApiProperty({ format: 'date-time' }) invitedAt!: string;
}

export class ApiKeyViewDto implements ApiKeyView {
  @ApiProperty({ format: 'uuid' }) keyId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: TENANT_ROLES }) role!: TenantRole;
  @ApiProperty({ description: 'The first characters of the secret' }) prefix!: string;
  @ApiProperty({ enum: ['active', 'revoked'] }) status!: ApiKeyView['status'];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreatedApiKeyDto implements CreatedApiKey {
  @ApiProperty({ format: 'uuid' }) keyId!: string;
  @ApiProperty({ description: 'caas_…; shown once. Replays of the same Idempotency-Key show it again.' })
  secret!: string;
}

export class EnvironmentViewDto implements EnvironmentView {
  @ApiProperty({ format: 'uuid' }) environmentId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class PlanQuotasDto implements PlanQuotas {
  @ApiProperty() maxContainers!: number;
  @ApiProperty() maxVcpu!: number;
  @ApiProperty() maxMemoryMb!: number;
  @ApiProperty() maxVolumeGb!: number;
  @ApiProperty() maxConcurrentBuilds!: number;
  @ApiProperty({ description: 'Megabytes of images in the platform registry' }) maxImageStorageMb!: number;
}

export class PlanViewDto implements PlanView {
  @ApiProperty() planId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: PlanQuotasDto }) quotas!: PlanQuotasDto;
}

/** Commands answer the ids they created; documented loosely, as the tenancy contract has no result types. */
export const COMMAND_RESULT_SCHEMA = {
  type: 'object',
  additionalProperties: true,
  description: 'What tenancy answered, e.g. {"tenantId": "…"}',
} as const;
