import {
  CommitContainerV1,
  type CommittedImage,
  ContainerLogsV1,
  PLACEMENT_STRATEGIES,
  PORT_PROTOCOLS,
  RESTART_POLICIES,
  ScaleServiceV1,
  StopContainerV1,
  UpdateServiceV1,
  type ContainerLogsView,
  type ContainerResources,
  type ContainerStatus,
  type ContainerView,
  type CreatedContainer,
  type CreatedService,
  type HostCapacity,
  type HostStatus,
  type HostView,
  type LogLineView,
  type PlacementStrategy,
  type PortProtocol,
  type PublishedPort,
  type RegisteredHost,
  type RestartPolicy,
  type RolloutStatus,
  type ServiceView,
} from '@caas/contracts';
import { ApiProperty, ApiSchema, OmitType } from '@nestjs/swagger';

/*
 * Bodies and queries whose id comes from the path are the contract classes without it;
 * the rest only documents the scheduling views (interfaces in the contract, kept in
 * step by `implements`).
 */

/** POST /v1/containers/{containerId}/commit */
export class CommitContainerBody extends OmitType(CommitContainerV1, ['containerId'] as const) {}

export class CommittedImageDto implements CommittedImage {
  @ApiProperty({ example: '127.0.0.1:55000/3f0c…/web-snapshot:1' }) image!: string;
  @ApiProperty({ example: 'sha256:…' }) digest!: string;
}

/** POST /v1/containers/{containerId}/stop: the body is optional. */
export class StopContainerBody extends OmitType(StopContainerV1, ['containerId'] as const) {}

/** GET /v1/containers/{containerId}/logs?tail=&follow= */
export class ContainerLogsQuery extends OmitType(ContainerLogsV1, ['containerId'] as const) {}

export class ScaleServiceBody extends OmitType(ScaleServiceV1, ['serviceId'] as const) {}

@ApiSchema({ description: 'A new revision of a service: fields given replace the old values, the rest are kept' })
export class UpdateServiceBody extends OmitType(UpdateServiceV1, ['serviceId'] as const) {}

const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } } as const;

export class ContainerResourcesDto implements ContainerResources {
  @ApiProperty({ example: 0.5 }) cpus!: number;
  @ApiProperty({ example: 256 }) memoryMb!: number;
  @ApiProperty({ example: 256 }) pidsLimit!: number;
}

export class PublishedPortDto implements PublishedPort {
  @ApiProperty() containerPort!: number;
  @ApiProperty({ enum: PORT_PROTOCOLS }) protocol!: PortProtocol;
  @ApiProperty() hostPort!: number;
  @ApiProperty() hostIp!: string;
}

export class ContainerViewDto implements ContainerView {
  @ApiProperty({ format: 'uuid' }) containerId!: string;
  @ApiProperty({ format: 'uuid' }) environmentId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) serviceId!: string | null;
  @ApiProperty({ nullable: true, type: Number }) replica!: number | null;
  @ApiProperty({ nullable: true, type: String }) hostId!: string | null;
  @ApiProperty() image!: string;
  @ApiProperty({ enum: ['pending', 'scheduled', 'running', 'stopped', 'exited', 'removed'] })
  status!: ContainerStatus;
  @ApiProperty({ nullable: true, type: Number }) exitCode!: number | null;
  @ApiProperty({ type: [PublishedPortDto] }) ports!: PublishedPortDto[];
  @ApiProperty({ type: ContainerResourcesDto }) resources!: ContainerResourcesDto;
  @ApiProperty({ enum: RESTART_POLICIES }) restartPolicy!: RestartPolicy;
  @ApiProperty(STRING_MAP) labels!: Record<string, string>;
  @ApiProperty({ nullable: true, type: String }) lastPlacementFailure!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
}

class ReplicaCountsDto {
  @ApiProperty() desired!: number;
  @ApiProperty() running!: number;
}

class UpdateSettingsDto {
  @ApiProperty() maxUnavailable!: number;
  @ApiProperty() maxSurge!: number;
}

class RolloutDto {
  @ApiProperty({ enum: ['idle', 'rolling', 'rolled-back'] }) status!: RolloutStatus;
  @ApiProperty() revision!: number;
}

export class ServiceViewDto implements ServiceView {
  @ApiProperty({ format: 'uuid' }) serviceId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) environmentId!: string;
  @ApiProperty() image!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ type: ReplicaCountsDto }) replicas!: ReplicaCountsDto;
  @ApiProperty({ type: ContainerResourcesDto }) resources!: ContainerResourcesDto;
  @ApiProperty({ enum: PLACEMENT_STRATEGIES }) strategy!: PlacementStrategy;
  @ApiProperty({ type: UpdateSettingsDto }) update!: UpdateSettingsDto;
  @ApiProperty({ type: RolloutDto }) rollout!: RolloutDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

class HostCapacityDto implements HostCapacity {
  @ApiProperty() cpus!: number;
  @ApiProperty() memoryMb!: number;
}

export class HostViewDto implements HostView {
  @ApiProperty({ format: 'uuid' }) hostId!: string;
  @ApiProperty({ example: 'tcp://docker-1.internal:2376' }) endpoint!: string;
  @ApiProperty({ format: 'uuid' }) environmentId!: string;
  @ApiProperty(STRING_MAP) labels!: Record<string, string>;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) dedicatedTenantId!: string | null;
  @ApiProperty({ enum: ['up', 'down', 'draining', 'removed'] }) status!: HostStatus;
  @ApiProperty({ type: HostCapacityDto }) capacity!: HostCapacityDto;
  @ApiProperty({ type: HostCapacityDto, description: 'Reserved by the containers placed on it' })
  allocated!: HostCapacityDto;
  @ApiProperty() containers!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastSeenAt!: string | null;
}

export class LogLineViewDto implements LogLineView {
  @ApiProperty({ enum: ['stdout', 'stderr'] }) stream!: 'stdout' | 'stderr';
  @ApiProperty({ description: "The engine's timestamp (ISO 8601)" }) at!: string;
  @ApiProperty() line!: string;
}

export class ContainerLogsViewDto implements ContainerLogsView {
  @ApiProperty({ format: 'uuid' }) containerId!: string;
  @ApiProperty({ type: [LogLineViewDto] }) lines!: LogLineViewDto[];
}

export class CreatedContainerDto implements CreatedContainer {
  @ApiProperty({ format: 'uuid' }) containerId!: string;
}

export class CreatedServiceDto implements CreatedService {
  @ApiProperty({ format: 'uuid' }) serviceId!: string;
}

export class RegisteredHostDto implements RegisteredHost {
  @ApiProperty({ format: 'uuid' }) hostId!: string;
}

/** What scheduling commands answer; documented loosely, as the contract has no result types for them. */
export const SCHEDULING_RESULT_SCHEMA = {
  type: 'object',
  additionalProperties: true,
  description: 'What the scheduling service answered for the command',
} as const;
