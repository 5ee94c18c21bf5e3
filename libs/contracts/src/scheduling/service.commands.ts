import { ApiProperty, ApiPropertyOptional, ApiSchema, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ContainerTemplateV1, REFUSED_FIELDS_DESCRIPTION } from './container.commands';
import { CONTAINER_DEFAULTS, CONTAINER_LIMITS } from './scheduling.limits';
import { Rule } from './validators';

/** Command and query payloads for services (replicated containers), version 1. */

const REPLICAS = CONTAINER_LIMITS.replicas;

/** How a rolling update replaces replicas; both 0 could never make progress. */
export class UpdateConfigV1 {
  @ApiProperty({
    minimum: 0,
    maximum: REPLICAS.max,
    example: CONTAINER_DEFAULTS.update.maxUnavailable,
    description: 'Replicas that may be missing during the rollout',
  })
  @IsInt()
  @Min(0)
  @Max(REPLICAS.max)
  maxUnavailable!: number;

  @ApiProperty({
    minimum: 0,
    maximum: REPLICAS.max,
    example: CONTAINER_DEFAULTS.update.maxSurge,
    description: 'Replicas that may run above the desired count during the rollout',
  })
  @IsInt()
  @Min(0)
  @Max(REPLICAS.max)
  @Rule('rolloutProgress', (value, object) =>
    value === 0 && (object as UpdateConfigV1).maxUnavailable === 0
      ? 'maxSurge and maxUnavailable cannot both be 0: the rollout could never replace a replica'
      : undefined,
  )
  maxSurge!: number;
}

/** Service names are DNS labels: they may name the service on its tenant's network. */
const SERVICE_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

@ApiSchema({ description: `A service: \`replicas\` copies of one container template. ${REFUSED_FIELDS_DESCRIPTION}` })
export class CreateServiceV1 extends ContainerTemplateV1 {
  @ApiProperty({ example: 'web', description: 'Lowercase letters, digits and -, unique in the environment' })
  @IsString()
  @Length(1, 63)
  @Matches(SERVICE_NAME, { message: 'name must be lowercase letters, digits and -, not starting or ending with -' })
  name!: string;

  @ApiProperty({ description: "One of the tenant's environments" })
  @IsUUID()
  environmentId!: string;

  @ApiProperty({ minimum: REPLICAS.min, maximum: REPLICAS.max, example: 3 })
  @IsInt()
  @Min(REPLICAS.min)
  @Max(REPLICAS.max)
  replicas!: number;

  @ApiPropertyOptional({ type: UpdateConfigV1, description: `Default ${JSON.stringify(CONTAINER_DEFAULTS.update)}` })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => UpdateConfigV1)
  update?: UpdateConfigV1;
}

export class ServiceRefV1 {
  @ApiProperty()
  @IsUUID()
  serviceId!: string;
}

export class ScaleServiceV1 extends ServiceRefV1 {
  @ApiProperty({ minimum: REPLICAS.min, maximum: REPLICAS.max, example: 5 })
  @IsInt()
  @Min(REPLICAS.min)
  @Max(REPLICAS.max)
  replicas!: number;
}

/**
 * A new revision of a service: each field given replaces the old value whole (an `env`
 * given is the whole new environment), fields left out are kept. Rolled out with the
 * service's update config, or `update` for this rollout and the ones after it. The
 * refused Docker fields are refused here exactly as on create.
 */
@ApiSchema({ description: `A new revision of a service. ${REFUSED_FIELDS_DESCRIPTION}` })
export class UpdateServiceV1 extends PartialType(ContainerTemplateV1) {
  @ApiProperty()
  @IsUUID()
  serviceId!: string;

  @ApiPropertyOptional({ type: UpdateConfigV1 })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => UpdateConfigV1)
  update?: UpdateConfigV1;
}

export class ListServicesV1 {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  environmentId?: string;
}
