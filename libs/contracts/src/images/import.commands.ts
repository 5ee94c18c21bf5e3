import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { REPOSITORY_PATH, TAG } from './repository.commands';

/**
 * An image to copy from another registry: `host[:port]/path[:tag]` or
 * `host[:port]/path@sha256:…`. The registry host is required — the images service
 * refuses a reference without one (validation on `source`) rather than guessing Docker Hub.
 */
export class ImportImageV1 {
  @ApiProperty({ example: 'registry.example.com:5000/team/app:1.2', description: 'host[:port]/path[:tag|@digest]' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  source!: string;

  @ApiPropertyOptional({ description: 'For the source registry; used for this one copy, never stored' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  username?: string;

  @ApiPropertyOptional({ description: 'For the source registry; used for this one copy, never stored' })
  @IsOptional()
  @IsString()
  @MaxLength(2_000)
  password?: string;

  @ApiProperty({ example: 'app', description: 'Path inside the tenant’s namespace: `<registry>/<tenantId>/<name>`' })
  @IsString()
  @MaxLength(200)
  @Matches(REPOSITORY_PATH, {
    message: 'name must be lower-case letters and digits, joined by . _ __ or -, in /-separated parts',
  })
  name!: string;

  @ApiPropertyOptional({ example: '1.2', description: 'Default: the source’s tag, or `latest` for a digest' })
  @IsOptional()
  @IsString()
  @Matches(TAG, { message: 'tag must be letters, digits, _ . - (up to 128), not starting with . or -' })
  tag?: string;
}

/** What an import answers: where the image now is in the platform registry. */
export interface ImportedImage {
  readonly repositoryId: string;
  /** `<tenantId>/<name>` */
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  /** Bytes: manifests, configs and layers. */
  readonly size: number;
  /** The source reference as given, without credentials. */
  readonly source: string;
}
