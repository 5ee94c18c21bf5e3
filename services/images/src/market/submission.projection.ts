import type { SubmissionEvent, SubmissionStatus } from '@caas/contracts';
import { recordedAs } from '@caas/domain';
import type { RecordedEvent } from '@caas/event-store';
import { Column, Entity, type EntityManager, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'market_submissions' })
@Index('market_submissions_tenant', ['tenantId'])
@Index('market_submissions_status', ['status'])
export class SubmissionRow {
  @PrimaryColumn('text', { name: 'submission_id' })
  submissionId!: string;

  @Column('text', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text', { name: 'repository_id' })
  repositoryId!: string;

  @Column('text')
  repository!: string;

  @Column('text')
  tag!: string;

  @Column('text')
  digest!: string;

  @Column('text', { name: 'market_repository' })
  marketRepository!: string;

  @Column('text')
  description!: string;

  @Column('text', { name: 'usage_guide' })
  usageGuide!: string;

  @Column('text')
  status!: SubmissionStatus;

  @Column('text', { name: 'submitted_by' })
  submittedBy!: string;

  @Column('timestamptz', { name: 'submitted_at' })
  submittedAt!: Date;

  @Column('text', { name: 'decided_by', nullable: true })
  decidedBy!: string | null;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt!: Date | null;

  @Column('text', { nullable: true })
  reason!: string | null;

  @Column('text', { name: 'market_repository_id', nullable: true })
  marketRepositoryId!: string | null;
}

export const MARKET_ENTITIES = [SubmissionRow];

export async function projectSubmissionEvent(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recordedAs<SubmissionEvent>(recorded);
  switch (event.type) {
    case 'ImageSubmitted': {
      const { at, ...fields } = event.data;
      await manager.upsert(
        SubmissionRow,
        {
          ...fields,
          status: 'pending',
          submittedAt: new Date(at),
          decidedBy: null,
          decidedAt: null,
          reason: null,
          marketRepositoryId: null,
        },
        ['submissionId'],
      );
      return;
    }
    case 'SubmissionApproved': {
      const { submissionId, approvedBy, marketRepositoryId, at } = event.data;
      await manager.update(
        SubmissionRow,
        { submissionId },
        { status: 'approved', decidedBy: approvedBy, decidedAt: new Date(at), marketRepositoryId },
      );
      return;
    }
    case 'SubmissionRejected': {
      const { submissionId, rejectedBy, reason, at } = event.data;
      await manager.update(
        SubmissionRow,
        { submissionId },
        { status: 'rejected', decidedBy: rejectedBy, decidedAt: new Date(at), reason },
      );
      return;
    }
  }
}
