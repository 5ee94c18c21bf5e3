import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

/**
 * A registry's base URL: scheme, host and optional port, nothing else (a path would be
 * ignored by the Registry API, which always lives at `/v2/`).
 */
export const REGISTRY_URL = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?\/?$/;
/** A full repository name in any registry: the distribution grammar, namespace included. */
export const REGISTRY_REPOSITORY =
  /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** Push-based replication of a repository to another registry (another region), as Harbor's rules. */
export class CreateReplicationV1 {
  @IsUUID()
  repositoryId!: string;

  @ApiProperty({ example: 'https://registry.eu-west.example.com' })
  @IsString()
  @MaxLength(300)
  @Matches(REGISTRY_URL, { message: 'targetUrl must be http(s)://host[:port], without a path' })
  targetUrl!: string;

  @ApiPropertyOptional({ example: 'mirror/web', description: 'Default: the same name as in the platform registry' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  @Matches(REGISTRY_REPOSITORY, {
    message: 'targetRepository must be lower-case letters and digits, joined by . _ __ or -, in /-separated parts',
  })
  targetRepository?: string;

  @ApiPropertyOptional({ description: 'For the target registry; kept out of every view and event' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  username?: string;

  @ApiPropertyOptional({ description: 'For the target registry; kept out of every view and event' })
  @IsOptional()
  @IsString()
  @MaxLength(2_000)
  password?: string;
}

export class ReplicationRefV1 {
  @IsUUID()
  repositoryId!: string;

  @IsUUID()
  replicationId!: string;
}
