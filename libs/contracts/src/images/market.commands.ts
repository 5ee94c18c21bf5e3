import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { SUBMISSION_STATUSES, type SubmissionStatus } from './market.events';
import { REPOSITORY_PATH, TAG } from './repository.commands';

/** `library/` plus the name stays within the registry's 255 characters. */
const MAX_MARKET_NAME = 200;

/** POST /v1/market/submissions: one of the tenant's own tags, offered for the market. */
export class SubmitImageV1 {
  @ApiProperty({ format: 'uuid', description: 'One of the tenant’s repositories' })
  @IsUUID()
  repositoryId!: string;

  @ApiProperty({ example: '1.0' })
  @IsString()
  @Matches(TAG, { message: 'tag must be letters, digits, _ . - (up to 128), not starting with . or -' })
  tag!: string;

  @ApiProperty({ example: 'busybox', description: 'Its name in the market: `<registry>/library/<name>`' })
  @IsString()
  @MaxLength(MAX_MARKET_NAME)
  @Matches(REPOSITORY_PATH, {
    message: 'name must be lower-case letters and digits, joined by . _ __ or -, in /-separated parts',
  })
  name!: string;

  @ApiProperty({ example: 'A tiny shell and core utilities', maxLength: 1_000 })
  @IsString()
  @IsNotEmpty({ message: 'description must not be empty' })
  @MaxLength(1_000)
  description!: string;

  @ApiPropertyOptional({ example: '```\ndocker run --rm … echo ok\n```', description: 'How to use it (Markdown)' })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  usageGuide?: string;
}

export class SubmissionRefV1 {
  @IsUUID()
  submissionId!: string;
}

export class RejectSubmissionV1 {
  @IsUUID()
  submissionId!: string;

  @ApiProperty({ example: 'The image runs as root; please use a non-root user', maxLength: 1_000 })
  @IsString()
  @IsNotEmpty({ message: 'reason must not be empty' })
  @MaxLength(1_000)
  reason!: string;
}

export class ListSubmissionsV1 {
  @ApiPropertyOptional({ enum: SUBMISSION_STATUSES })
  @IsOptional()
  @IsIn(SUBMISSION_STATUSES)
  status?: SubmissionStatus;
}

export class MarketImageRefV1 {
  @IsUUID()
  repositoryId!: string;
}
