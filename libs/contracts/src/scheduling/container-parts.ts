import { ApiHideProperty, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  REFUSED_PORT_FIELDS,
  REFUSED_VOLUME_FIELDS,
  hostPathVolumeName,
  reservedMountPath,
} from './container-refusals';
import {
  CONTAINER_DEFAULTS,
  CONTAINER_LIMITS,
  PORT_PROTOCOLS,
  SELECTOR_OPS,
  type PortProtocol,
  type SelectorOp,
} from './scheduling.limits';
import { LABEL_KEY, Refused, Rule, absolutePathProblem } from './validators';

/** The parts a container template is made of, version 1. */

export class PortV1 {
  @ApiProperty({ minimum: 1, maximum: 65535, example: 8080 })
  @IsInt()
  @Min(1)
  @Max(65535)
  containerPort!: number;

  @ApiPropertyOptional({ enum: PORT_PROTOCOLS, default: CONTAINER_DEFAULTS.protocol })
  @IsOptional()
  @IsIn(PORT_PROTOCOLS)
  protocol?: PortProtocol;

  /** Refused: the platform allocates the host port on the host it picks. */
  @ApiHideProperty()
  @Refused(REFUSED_PORT_FIELDS.hostPort)
  hostPort?: unknown;

  /** Refused: the platform chooses the address ports are published on. */
  @ApiHideProperty()
  @Refused(REFUSED_PORT_FIELDS.hostIp)
  hostIp?: unknown;
}

/** Docker's volume-name characters; the platform prefixes the tenant (`caas-<tenantId>-<name>`). */
export const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export class VolumeV1 {
  @ApiProperty({
    example: 'data',
    maxLength: CONTAINER_LIMITS.volumeNameLength,
    description:
      "A named volume of the tenant (letters, digits, _ . -); never a host path. Another tenant's 'data' is another volume.",
  })
  @IsString()
  @Refused(hostPathVolumeName)
  @Rule('volumeName', (value) =>
    // A path is refused by the rule above, with its reason; this one is the format.
    typeof value !== 'string' ||
    hostPathVolumeName(value) !== undefined ||
    (VOLUME_NAME.test(value) && value.length <= CONTAINER_LIMITS.volumeNameLength)
      ? undefined
      : `volume name must be letters, digits, _ . -, starting with a letter or digit, at most ${CONTAINER_LIMITS.volumeNameLength} characters`,
  )
  name!: string;

  @ApiProperty({ example: '/var/lib/data', description: 'Absolute path in the container; not /, /proc, /sys or /dev' })
  @Rule('absolutePath', absolutePathProblem('mountPath'))
  @Refused(reservedMountPath)
  mountPath!: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  readOnly?: boolean;

  /** Refused: host paths are never mounted. */
  @ApiHideProperty()
  @Refused(REFUSED_VOLUME_FIELDS.hostPath)
  hostPath?: unknown;
}

export class ResourcesV1 {
  @ApiProperty({
    minimum: CONTAINER_LIMITS.cpus.min,
    maximum: CONTAINER_LIMITS.cpus.max,
    example: 0.5,
    description: 'CPUs (0.5 = half a core), in steps of 0.01',
  })
  @IsNumber({ maxDecimalPlaces: CONTAINER_LIMITS.cpus.decimals, allowNaN: false, allowInfinity: false })
  @Min(CONTAINER_LIMITS.cpus.min)
  @Max(CONTAINER_LIMITS.cpus.max)
  cpus!: number;

  @ApiProperty({ minimum: CONTAINER_LIMITS.memoryMb.min, maximum: CONTAINER_LIMITS.memoryMb.max, example: 256 })
  @IsInt()
  @Min(CONTAINER_LIMITS.memoryMb.min)
  @Max(CONTAINER_LIMITS.memoryMb.max)
  memoryMb!: number;

  @ApiPropertyOptional({
    minimum: CONTAINER_LIMITS.pidsLimit.min,
    maximum: CONTAINER_LIMITS.pidsLimit.max,
    default: CONTAINER_DEFAULTS.pidsLimit,
    description: 'Most processes and threads at once: a fork bomb stays inside its container',
  })
  @IsOptional()
  @IsInt()
  @Min(CONTAINER_LIMITS.pidsLimit.min)
  @Max(CONTAINER_LIMITS.pidsLimit.max)
  pidsLimit?: number;
}

const HEALTH = CONTAINER_DEFAULTS.healthCheck;

export class HealthCheckV1 {
  @ApiProperty({
    example: ['CMD', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/'],
    description: "Run inside the container: ['CMD', program, ...args] or ['CMD-SHELL', 'shell command']",
  })
  @ArrayMinSize(2)
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @MaxLength(4096, { each: true })
  @Rule('healthCheckTest', (value) =>
    Array.isArray(value) && (value[0] === 'CMD' || value[0] === 'CMD-SHELL')
      ? undefined
      : "test must start with 'CMD' or 'CMD-SHELL'",
  )
  test!: string[];

  @ApiPropertyOptional({ minimum: 0.5, maximum: 3600, default: HEALTH.intervalSeconds })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0.5)
  @Max(3600)
  intervalSeconds?: number;

  @ApiPropertyOptional({ minimum: 0.5, maximum: 600, default: HEALTH.timeoutSeconds })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0.5)
  @Max(600)
  timeoutSeconds?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: HEALTH.retries })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  retries?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 3600, default: HEALTH.startPeriodSeconds })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0)
  @Max(3600)
  startPeriodSeconds?: number;
}

/** A placement constraint on host labels: `{ key: 'disk', op: '==', value: 'ssd' }`, `{ key: 'gpu', op: 'exists' }`. */
export class LabelSelectorV1 {
  @ApiProperty({ example: 'disk' })
  @IsString()
  @MaxLength(CONTAINER_LIMITS.labelKeyLength)
  @Matches(LABEL_KEY, { message: 'key must be letters, digits, . _ / -, starting and ending with a letter or digit' })
  key!: string;

  @ApiProperty({ enum: SELECTOR_OPS })
  @IsIn(SELECTOR_OPS)
  op!: SelectorOp;

  @ApiPropertyOptional({ example: 'ssd', description: "Required for '==' and '!='; refused for 'exists'" })
  @Rule('selectorValue', (value, object) => {
    const op = (object as LabelSelectorV1).op;
    if (op === 'exists') return value === undefined ? undefined : "value must not be set when op is 'exists'";
    return typeof value === 'string' && value.length <= CONTAINER_LIMITS.labelValueLength
      ? undefined
      : `value must be a string of at most ${CONTAINER_LIMITS.labelValueLength} characters when op is '${op}'`;
  })
  value?: string;
}
