import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PLATFORM_ROLES, type PlatformRole, TENANT_ROLES, type TenantRole } from './roles';

/**
 * Command and query payloads of the tenancy context, version 1. The same classes
 * validate HTTP bodies at the gateway and NATS payloads in the service, and document
 * the API. Tenant and actor never appear here: they come from the caller's credential
 * (NATS headers, see @caas/messaging RequestMeta).
 */
const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u;

export class SignUpV1 {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ minLength: 12, maxLength: 128, example: 'correct horse battery staple' })
  @IsString()
  @MinLength(12)
  @MaxLength(128)
  password!: string;
}

export class VerifyPasswordV1 {
  @IsEmail()
  email!: string;

  @IsString()
  @MaxLength(128)
  password!: string;
}

export class CreateTenantV1 {
  @ApiProperty({ example: 'Acme Corp', description: 'Display name; letters, digits, space, . _ -' })
  @IsString()
  @Length(1, 63)
  @Matches(NAME, { message: 'name must start with a letter or digit and contain only letters, digits, spaces, . _ -' })
  name!: string;

  @ApiPropertyOptional({ example: 'free', description: 'Plan id; defaults to free' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  planId?: string;
}

export class RenameTenantV1 {
  @ApiProperty({ example: 'Acme Inc' })
  @IsString()
  @Length(1, 63)
  @Matches(NAME, { message: 'name must start with a letter or digit and contain only letters, digits, spaces, . _ -' })
  name!: string;
}

export class SuspendTenantV1 {
  @ApiProperty({ example: 'payment overdue' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class ChangePlanV1 {
  @ApiProperty({ example: 'pro' })
  @IsString()
  @MaxLength(40)
  planId!: string;

  @ApiPropertyOptional({ description: 'When the plan takes effect (ISO 8601); now if omitted' })
  @IsOptional()
  @IsISO8601()
  effectiveAt?: string;
}

export class InviteMemberV1 {
  @ApiProperty({ example: 'grace@example.com' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: TENANT_ROLES, example: 'developer' })
  @IsIn(TENANT_ROLES)
  role!: TenantRole;
}

/** Platform admins only. The user holds the role in tokens issued after the grant (log in again). */
export class GrantPlatformRoleV1 {
  @ApiProperty({ example: 'grace@example.com' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: PLATFORM_ROLES, example: 'finance' })
  @IsIn(PLATFORM_ROLES)
  role!: PlatformRole;
}

export class AcceptInvitationV1 {
  @ApiProperty()
  @IsUUID()
  invitationId!: string;
}

export class ChangeMemberRoleV1 {
  @ApiProperty()
  @IsUUID()
  userId!: string;

  @ApiProperty({ enum: TENANT_ROLES })
  @IsIn(TENANT_ROLES)
  role!: TenantRole;
}

export class MemberRefV1 {
  @ApiProperty()
  @IsUUID()
  userId!: string;
}

export class CreateApiKeyV1 {
  @ApiProperty({ example: 'ci-deployer' })
  @IsString()
  @Length(1, 63)
  @Matches(NAME, { message: 'name must start with a letter or digit and contain only letters, digits, spaces, . _ -' })
  name!: string;

  @ApiProperty({ enum: TENANT_ROLES, example: 'developer' })
  @IsIn(TENANT_ROLES)
  role!: TenantRole;
}

export class ApiKeyRefV1 {
  @ApiProperty()
  @IsUUID()
  keyId!: string;
}

export class VerifyApiKeyV1 {
  @IsString()
  @MaxLength(200)
  secret!: string;
}

export class CreateEnvironmentV1 {
  @ApiProperty({ example: 'production', description: 'lowercase letters, digits and -, unique in the tenant' })
  @IsString()
  @Length(1, 40)
  @Matches(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, {
    message: 'name must be lowercase letters, digits and -, not starting or ending with -',
  })
  name!: string;
}

export class EnvironmentRefV1 {
  @ApiProperty()
  @IsUUID()
  environmentId!: string;
}

export class ScopeToTenantV1 {
  @ApiProperty({ description: 'The tenant to act in; the caller must be a member' })
  @IsUUID()
  tenantId!: string;
}
