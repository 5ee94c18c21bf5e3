import { REPOSITORY_PATH, TAG as IMAGE_TAG } from '../images/repository.commands';
import { ApiHideProperty, ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { HealthCheckV1, LabelSelectorV1, PortV1, ResourcesV1, VolumeV1 } from './container-parts';
import { REFUSED_CONTAINER_FIELDS } from './container-refusals';
import {
  CONTAINER_DEFAULTS,
  CONTAINER_LIMITS,
  PLACEMENT_STRATEGIES,
  RESTART_POLICIES,
  type PlacementStrategy,
  type RestartPolicy,
} from './scheduling.limits';
import { Refused, Rule, envProblem, labelsProblem, uniqueProblem } from './validators';

/**
 * Command and query payloads for containers, version 1. Tenant and actor never
 * appear: they come from the caller's credential (NATS headers).
 */

/**
 * An image reference as Docker reads it: `[registry[:port]/]path[:tag][@digest]`,
 * e.g. `busybox`, `nginx:1.27`, `registry.example.com:5000/acme/web:2024-11`. The
 * path is lowercase; the first part is a registry only when it has a `.` or a port
 * or is `localhost`, exactly Docker's rule.
 */
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REGISTRY =
  '(?:(?:localhost|[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+|\\[[0-9A-Fa-f:]+\\])(?::[0-9]{1,5})?|[A-Za-z0-9-]+:[0-9]{1,5})';
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const DIGEST = '[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[A-Fa-f0-9]{32,}';
export const IMAGE_REFERENCE = new RegExp(
  `^(?:${REGISTRY}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`,
);

/**
 * What a container is, shared by standalone containers and services. The hidden
 * fields at the end are Docker options this platform never grants; they are declared
 * only so that sending one is refused by name with its reason (rule `forbidden`)
 * instead of a generic "property should not exist".
 */
export class ContainerTemplateV1 {
  @ApiProperty({ example: 'registry.example.com/acme/web:1.4.2', maxLength: CONTAINER_LIMITS.imageLength })
  @IsString()
  @MaxLength(CONTAINER_LIMITS.imageLength)
  @Matches(IMAGE_REFERENCE, {
    message: 'image must be a reference like name:tag or registry/tenant/repo:tag (lowercase path, optional @digest)',
  })
  image!: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['httpd', '-f', '-p', '8080'],
    description: "Replaces the image's CMD",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CONTAINER_LIMITS.commandItems)
  @IsString({ each: true })
  @MaxLength(CONTAINER_LIMITS.commandItemLength, { each: true })
  command?: string[];

  @ApiPropertyOptional({ type: [String], description: "Replaces the image's ENTRYPOINT" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CONTAINER_LIMITS.commandItems)
  @IsString({ each: true })
  @MaxLength(CONTAINER_LIMITS.commandItemLength, { each: true })
  entrypoint?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { LOG_LEVEL: 'info' },
    description: `Names: letters, digits, _ (not starting with a digit); at most ${CONTAINER_LIMITS.envEntries} variables`,
  })
  @IsOptional()
  @Rule('env', envProblem)
  env?: Record<string, string>;

  @ApiPropertyOptional({
    type: [PortV1],
    description: 'Container ports to publish; the platform allocates each host port and answers it in the view',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CONTAINER_LIMITS.ports)
  @ValidateNested({ each: true })
  @Type(() => PortV1)
  @Rule('uniquePorts', uniqueProblem('ports', (port) => `${port.containerPort}/${port.protocol ?? 'tcp'}`))
  ports?: PortV1[];

  @ApiProperty({ type: ResourcesV1 })
  @IsObject()
  @ValidateNested()
  @Type(() => ResourcesV1)
  resources!: ResourcesV1;

  @ApiPropertyOptional({ type: [VolumeV1], description: 'Named volumes of the tenant, created on first use' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CONTAINER_LIMITS.volumes)
  @ValidateNested({ each: true })
  @Type(() => VolumeV1)
  @Rule('uniqueMountPaths', uniqueProblem('volumes', (volume) => `mountPath ${String(volume.mountPath)}`))
  volumes?: VolumeV1[];

  @ApiPropertyOptional({ enum: RESTART_POLICIES, default: CONTAINER_DEFAULTS.restartPolicy })
  @IsOptional()
  @IsIn(RESTART_POLICIES)
  restartPolicy?: RestartPolicy;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { team: 'payments' },
    description: "The tenant's own labels, shown in views; caas.* keys are reserved",
  })
  @IsOptional()
  @Rule('labels', labelsProblem('labels', true))
  labels?: Record<string, string>;

  @ApiPropertyOptional({ type: [LabelSelectorV1], description: 'Host label selectors placement must satisfy' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CONTAINER_LIMITS.constraints)
  @ValidateNested({ each: true })
  @Type(() => LabelSelectorV1)
  constraints?: LabelSelectorV1[];

  @ApiPropertyOptional({ enum: PLACEMENT_STRATEGIES, default: CONTAINER_DEFAULTS.strategy })
  @IsOptional()
  @IsIn(PLACEMENT_STRATEGIES)
  strategy?: PlacementStrategy;

  @ApiPropertyOptional({ type: HealthCheckV1 })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => HealthCheckV1)
  healthCheck?: HealthCheckV1;

  // ── Refused: Docker options that would give the container the host. ──
  @ApiHideProperty() @Refused(REFUSED_CONTAINER_FIELDS.privileged) privileged?: unknown;
  @ApiHideProperty() @Refused(REFUSED_CONTAINER_FIELDS.capAdd) capAdd?: unknown;
  @ApiHideProperty() @Refused(REFUSED_CONTAINER_FIELDS.binds) binds?: unknown;
  @ApiHideProperty() @Refused(REFUSED_CONTAINER_FIELDS.mounts) mounts?: unknown;
  @ApiHideProperty() @Refused(REFUSED_CONTAINER_FIELDS.volumesFrom) volumesFrom?: unknown;
  @ApiHideProperty() @Refused(REFUSED_CONTAINER_FIELDS.devices) devices?: unknown;
  @ApiHideProperty() @Refused(REFUSED_CONTAINER_FIELDS.sysctls) sysctls?: unknown;
  @ApiHideProperty() @Refused(REFUSED_CONTAINER_FIELDS.securityOpt) securityOpt?: unknown;
  @ApiHideProperty() @Refused(REFUSED_CONTAINER_FIELDS.networkMode) networkMode?: unknown;
  @ApiHideProperty() @Refused(REFUSED_CONTAINER_FIELDS.pidMode) pidMode?: unknown;
  @ApiHideProperty() @Refused(REFUSED_CONTAINER_FIELDS.ipcMode) ipcMode?: unknown;
  @ApiHideProperty() @Refused(REFUSED_CONTAINER_FIELDS.utsMode) utsMode?: unknown;
  @ApiHideProperty() @Refused(REFUSED_CONTAINER_FIELDS.cgroupnsMode) cgroupnsMode?: unknown;
  @ApiHideProperty() @Refused(REFUSED_CONTAINER_FIELDS.userns) userns?: unknown;
}

/** For the API documentation, where the refused fields themselves are hidden. */
export const REFUSED_FIELDS_DESCRIPTION =
  `Docker options that would give a container the host are refused with 400, rule 'forbidden', naming the field: ` +
  `${Object.keys(REFUSED_CONTAINER_FIELDS).join(', ')}, a port's hostPort/hostIp, a volume's hostPath or a volume ` +
  `named like a host path (the Docker socket above all).`;

@ApiSchema({ description: `A standalone container. ${REFUSED_FIELDS_DESCRIPTION}` })
export class CreateContainerV1 extends ContainerTemplateV1 {
  @ApiProperty({ description: "One of the tenant's environments; placement only picks hosts serving it" })
  @IsUUID()
  environmentId!: string;
}

export class ContainerRefV1 {
  @ApiProperty()
  @IsUUID()
  containerId!: string;
}

export class CommitContainerV1 extends ContainerRefV1 {
  @ApiProperty({
    example: 'web-snapshot',
    description: 'Repository in the tenant’s namespace of the platform registry',
  })
  @IsString()
  @MaxLength(200)
  @Matches(REPOSITORY_PATH, {
    message: 'repository must be lower-case letters and digits, joined by . _ __ or -, in /-separated parts',
  })
  repository!: string;

  @ApiProperty({ example: '2026-11-22' })
  @IsString()
  @Matches(IMAGE_TAG, { message: 'tag must be letters, digits, _ . - (up to 128), not starting with . or -' })
  tag!: string;

  @ApiPropertyOptional({ example: 'before the schema migration', description: 'Stored as the image’s comment' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  comment?: string;
}

/** What a commit made. */
export interface CommittedImage {
  /** `<registry>/<tenantId>/<repository>:<tag>`: deployable as it is. */
  readonly image: string;
  readonly digest: string;
}

export class StopContainerV1 extends ContainerRefV1 {
  @ApiPropertyOptional({
    minimum: CONTAINER_LIMITS.stopTimeoutSeconds.min,
    maximum: CONTAINER_LIMITS.stopTimeoutSeconds.max,
    default: 10,
    description: 'Seconds between SIGTERM and SIGKILL',
  })
  @IsOptional()
  @IsInt()
  @Min(CONTAINER_LIMITS.stopTimeoutSeconds.min)
  @Max(CONTAINER_LIMITS.stopTimeoutSeconds.max)
  timeoutSeconds?: number;
}

/** Last `tail` lines; with `follow`, then every new line until the caller stops reading. */
export class ContainerLogsV1 extends ContainerRefV1 {
  @ApiPropertyOptional({
    minimum: CONTAINER_LIMITS.logTail.min,
    maximum: CONTAINER_LIMITS.logTail.max,
    default: CONTAINER_DEFAULTS.logTail,
  })
  @IsOptional()
  // The gateway passes these from the query string: "100" and "true" arrive as text.
  @Type(() => Number)
  @IsInt()
  @Min(CONTAINER_LIMITS.logTail.min)
  @Max(CONTAINER_LIMITS.logTail.max)
  tail?: number;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  follow?: boolean;
}

/** A NATS inbox as `createInbox()` makes it: never a wildcard, never another service's subject. */
export const LOG_INBOX = /^_INBOX\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/**
 * `SCHEDULING.followContainerLogs`: the last `tail` lines, then every new one, published
 * to `inbox` (see LOG_FOLLOW). Between services only: the gateway fills in the inbox.
 */
export class FollowContainerLogsV1 extends ContainerRefV1 {
  @ApiPropertyOptional({
    minimum: CONTAINER_LIMITS.logTail.min,
    maximum: CONTAINER_LIMITS.logTail.max,
    default: CONTAINER_DEFAULTS.logTail,
  })
  @IsOptional()
  @IsInt()
  @Min(CONTAINER_LIMITS.logTail.min)
  @Max(CONTAINER_LIMITS.logTail.max)
  tail?: number;

  @ApiProperty({ example: '_INBOX.k8Xq3zT1vY2wB9nR0aL4cE' })
  @IsString()
  @MaxLength(200)
  @Matches(LOG_INBOX, { message: 'inbox must be a NATS inbox subject (_INBOX.<token>…), without wildcards' })
  inbox!: string;
}

export class ListContainersV1 {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  environmentId?: string;

  @ApiPropertyOptional({ description: "Only this service's replicas" })
  @IsOptional()
  @IsUUID()
  serviceId?: string;
}
