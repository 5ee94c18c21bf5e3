import {
  RejectSubmissionV1,
  SUBMISSION_STATUSES,
  type MarketImageView,
  type MarketTagView,
  type SubmissionStatus,
  type SubmissionView,
} from '@caas/contracts';
import { ApiProperty, OmitType } from '@nestjs/swagger';

/** POST /v1/market/submissions/{submissionId}/reject: the reason, the id from the path. */
export class RejectSubmissionBody extends OmitType(RejectSubmissionV1, ['submissionId'] as const) {}

export class SubmissionViewDto implements SubmissionView {
  @ApiProperty({ format: 'uuid' }) submissionId!: string;
  @ApiProperty({ format: 'uuid', description: 'The submitting tenant' }) tenantId!: string;
  @ApiProperty({ format: 'uuid' }) repositoryId!: string;
  @ApiProperty({ example: '3f0c…/busybox' }) repository!: string;
  @ApiProperty({ example: '1' }) tag!: string;
  @ApiProperty({ example: 'sha256:…', description: 'The tag’s digest when submitted: what an approval publishes' })
  digest!: string;
  @ApiProperty({ example: 'library/busybox' }) marketRepository!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'Markdown' }) usageGuide!: string;
  @ApiProperty({ enum: SUBMISSION_STATUSES }) status!: SubmissionStatus;
  @ApiProperty({ example: 'user:…' }) submittedBy!: string;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty({ nullable: true, type: String, example: 'user:…' }) decidedBy!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) decidedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why it was rejected' }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) marketRepositoryId!: string | null;
}

export class MarketTagViewDto implements MarketTagView {
  @ApiProperty({ example: '1' }) tag!: string;
  @ApiProperty({ example: 'sha256:…' }) digest!: string;
  @ApiProperty({ description: 'Bytes: manifest, config and layers' }) size!: number;
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
  @ApiProperty({ example: 'registry.example.com/library/busybox:1', description: '`docker pull` this; no login' })
  pull!: string;
}

export class MarketImageViewDto implements MarketImageView {
  @ApiProperty({ format: 'uuid' }) repositoryId!: string;
  @ApiProperty({ example: 'library/busybox' }) repository!: string;
  @ApiProperty({ example: 'registry.example.com/library/busybox' }) reference!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'How to use it (Markdown)' }) usageGuide!: string;
  @ApiProperty({ type: [MarketTagViewDto] }) tags!: MarketTagViewDto[];
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
