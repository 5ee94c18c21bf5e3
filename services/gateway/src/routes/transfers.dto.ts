import { CreateReplicationV1, type ImportedImage, type ReplicationView } from '@caas/contracts';
import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';

/* Imports and replications: bodies whose id comes from the path are the contract classes without it. */

/** POST /v1/repositories/{repositoryId}/replications */
export class CreateReplicationBody extends OmitType(CreateReplicationV1, ['repositoryId'] as const) {}

export class ImportedImageDto implements ImportedImage {
  @ApiProperty({ format: 'uuid' }) repositoryId!: string;
  @ApiProperty({ example: '3f0c…/app' }) repository!: string;
  @ApiProperty({ example: '1.2' }) tag!: string;
  @ApiProperty({ example: 'sha256:…' }) digest!: string;
  @ApiProperty({ description: 'Bytes: manifests, configs and layers' }) size!: number;
  @ApiProperty({ example: 'registry.example.com/team/app:1.2', description: 'As given, without credentials' })
  source!: string;
}

class ReplicatedTagDto {
  @ApiProperty() tag!: string;
  @ApiProperty() digest!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

class ReplicationErrorDto {
  @ApiProperty() tag!: string;
  @ApiProperty({ example: 'the target registry cannot be reached (ECONNREFUSED)' }) reason!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Null: given up' })
  retryAt!: string | null;
}

export class ReplicationViewDto implements ReplicationView {
  @ApiProperty({ format: 'uuid' }) replicationId!: string;
  @ApiProperty({ format: 'uuid' }) repositoryId!: string;
  @ApiProperty({ example: 'https://registry.eu-west.example.com' }) targetUrl!: string;
  @ApiProperty({ example: 'mirror/web' }) targetRepository!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ type: ReplicatedTagDto, nullable: true, description: 'The last tag copied' })
  lastReplicated!: ReplicatedTagDto | null;
  @ApiPropertyOptional({ type: ReplicationErrorDto, nullable: true, description: 'Until that tag gets through' })
  lastError!: ReplicationErrorDto | null;
}
