import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';

/** How many scopes one token request may ask for (the docker CLI asks one or two). */
export const MAX_TOKEN_SCOPES = 20;

/**
 * A token request of the distribution token spec, as the gateway forwards it: `service`
 * and every `scope` query parameter (`repository:<name>:<actions>`). Scopes are parsed
 * by the images service: one it cannot read is granted nothing, as the spec says.
 */
export class RegistryTokenV1 {
  @ApiProperty({ example: 'caas-registry' })
  @IsString()
  @MaxLength(100)
  service!: string;

  @ApiPropertyOptional({ type: [String], example: ['repository:3f0c…/web:pull,push'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TOKEN_SCOPES)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  scopes?: string[];
}

/** Scheduling's request for a deploy's pull token: the repository in the platform registry. */
export class PullTokenV1 {
  @IsString()
  @MaxLength(255)
  repository!: string;
}

/** The token endpoint's answer, in the spec's shape (`token` and its OAuth2 alias `access_token`). */
export interface RegistryToken {
  readonly token: string;
  readonly access_token: string;
  readonly expires_in: number;
  readonly issued_at: string;
}

/** One event of a registry notification envelope; only the fields the platform reads are checked. */
export class RegistryNotificationEventV1 {
  @IsString()
  @MaxLength(100)
  id!: string;

  @IsString()
  @MaxLength(50)
  timestamp!: string;

  @IsString()
  @MaxLength(20)
  action!: string;

  /** `{ mediaType, digest, size, repository, tag?, url }`; read field by field. */
  @IsObject()
  target!: Record<string, unknown>;

  /** `{ name }`: the token's subject. */
  @IsOptional()
  @IsObject()
  actor?: Record<string, unknown>;

  @IsOptional()
  @IsObject()
  request?: Record<string, unknown>;

  @IsOptional()
  @IsObject()
  source?: Record<string, unknown>;
}

/** The registry's notification envelope (`application/vnd.docker.distribution.events.v1+json`). */
export class RegistryNotificationV1 {
  @IsArray()
  @ArrayMaxSize(1_000)
  @ValidateNested({ each: true })
  @Type(() => RegistryNotificationEventV1)
  events!: RegistryNotificationEventV1[];
}
