import type { SubmissionEvent, SubmissionStatus } from '@caas/contracts';
import { assertNever } from '@caas/domain';
import { streamName } from '@caas/event-store';

export const submissionStream = (submissionId: string) => streamName('submission', submissionId);

export interface SubmissionState {
  readonly exists: boolean;
  readonly submissionId: string;
  readonly tenantId: string;
  readonly status: SubmissionStatus;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  readonly marketRepository: string;
  readonly description: string;
  readonly usageGuide: string;
}

export const initialSubmissionState = (): SubmissionState => ({
  exists: false,
  submissionId: '',
  tenantId: '',
  status: 'pending',
  repository: '',
  tag: '',
  digest: '',
  marketRepository: '',
  description: '',
  usageGuide: '',
});

export function evolveSubmission(state: SubmissionState, event: SubmissionEvent): SubmissionState {
  switch (event.type) {
    case 'ImageSubmitted': {
      const { submissionId, tenantId, repository, tag, digest, marketRepository, description, usageGuide } = event.data;
      return {
        exists: true,
        submissionId,
        tenantId,
        status: 'pending',
        repository,
        tag,
        digest,
        marketRepository,
        description,
        usageGuide,
      };
    }
    case 'SubmissionApproved':
      return { ...state, status: 'approved' };
    case 'SubmissionRejected':
      return { ...state, status: 'rejected' };
    default:
      return assertNever(event);
  }
}
