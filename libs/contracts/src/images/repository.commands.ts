import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { REPOSITORY_VISIBILITIES, type RepositoryVisibility } from './images.events';

/**
 * A repository's path inside the tenant's namespace (the part after `<tenantId>/`): the
 * registry's grammar — lower-case alphanumerics joined by `.`, `_`, `__` or dashes, in
 * `/`-separated components.
 */
export const REPOSITORY_PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
/** A tag: the registry's grammar. */
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export class CreateRepositoryV1 {
  @ApiProperty({ example: 'web', description: 'Path inside the tenant’s namespace: `<registry>/<tenantId>/<name>`' })
  @IsString()
  @MaxLength(200)
  @Matches(REPOSITORY_PATH, {
    message: 'name must be lower-case letters and digits, joined by . _ __ or -, in /-separated parts',
  })
  name!: string;

  @ApiPropertyOptional({ enum: REPOSITORY_VISIBILITIES, default: 'private' })
  @IsOptional()
  @IsIn(REPOSITORY_VISIBILITIES)
  visibility?: RepositoryVisibility;

  @ApiPropertyOptional({ example: 'The web front end' })
  @IsOptional()
  @IsString()
  @MaxLength(1_000)
  description?: string;

  @ApiPropertyOptional({ example: 'docker run -p 8080:80 …', description: 'How to use the image (Markdown)' })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  usageGuide?: string;
}

export class UpdateRepositoryV1 {
  @IsUUID()
  repositoryId!: string;

  @ApiPropertyOptional({ enum: REPOSITORY_VISIBILITIES })
  @IsOptional()
  @IsIn(REPOSITORY_VISIBILITIES)
  visibility?: RepositoryVisibility;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1_000)
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  usageGuide?: string;
}

export class RepositoryRefV1 {
  @IsUUID()
  repositoryId!: string;
}

export class RemoveTagV1 {
  @IsUUID()
  repositoryId!: string;

  @IsString()
  @Matches(TAG, { message: 'tag must be letters, digits, _ . - (up to 128), not starting with . or -' })
  tag!: string;
}
