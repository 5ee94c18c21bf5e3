import {
  REPOSITORY_VISIBILITIES,
  UpdateRepositoryV1,
  type CreatedRepository,
  type RepositoryView,
  type RepositoryVisibility,
  type StorageUsageView,
  type TagView,
} from '@caas/contracts';
import { ApiProperty, OmitType } from '@nestjs/swagger';

/* Bodies whose id comes from the path are the contract classes without it; the rest documents the views. */

/** PATCH /v1/repositories/{repositoryId} */
export class UpdateRepositoryBody extends OmitType(UpdateRepositoryV1, ['repositoryId'] as const) {}

export class TagViewDto implements TagView {
  @ApiProperty({ example: '1.0' }) tag!: string;
  @ApiProperty({ example: 'sha256:…' }) digest!: string;
  @ApiProperty({ example: 'application/vnd.docker.distribution.manifest.v2+json' }) mediaType!: string;
  @ApiProperty({ description: 'Bytes: manifest, config and layers' }) size!: number;
  @ApiProperty({ format: 'date-time' }) pushedAt!: string;
  @ApiProperty({ example: 'user:…', description: 'Who pushed it, as the registry token named them' }) pushedBy!: string;
}

export class RepositoryViewDto implements RepositoryView {
  @ApiProperty({ format: 'uuid' }) repositoryId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) tenantId!: string | null;
  @ApiProperty({ example: '3f0c…/web', description: 'The name in the registry: `<tenantId>/<name>`' })
  repository!: string;
  @ApiProperty({ example: 'registry.example.com/3f0c…/web', description: 'What `docker pull` takes (add `:<tag>`)' })
  reference!: string;
  @ApiProperty({ enum: REPOSITORY_VISIBILITIES }) visibility!: RepositoryVisibility;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'How to use the image (Markdown)' }) usageGuide!: string;
  @ApiProperty({ type: [TagViewDto] }) tags!: TagViewDto[];
  @ApiProperty({ description: 'Sum of its distinct images’ sizes, bytes' }) storageBytes!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class StorageUsageDto implements StorageUsageView {
  @ApiProperty({ description: 'Sum of the sizes of the tenant’s distinct images, bytes' }) usedBytes!: number;
  @ApiProperty({ description: 'The plan’s maxImageStorageMb, in bytes' }) limitBytes!: number;
}

export class CreatedRepositoryDto implements CreatedRepository {
  @ApiProperty({ format: 'uuid' }) repositoryId!: string;
  @ApiProperty({ example: '3f0c…/web' }) repository!: string;
}
