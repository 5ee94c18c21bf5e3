import type { SubmissionEvent } from '@caas/contracts';
import { type DecidingCaller, requirePlatformAdmin } from './market-caller';
import type { SubmissionState } from './submission.events';
import { requirePending } from './submission.guards';

export interface ApproveSubmission {
  readonly kind: 'ApproveSubmission';
  readonly caller: DecidingCaller;
  readonly submissionId: string;
  /** The market repository the handler published the image into. */
  readonly marketRepositoryId: string;
  readonly at: string;
}

/** Platform admins only, pending submissions only. What is approved is the digest submitted. */
export function approveSubmission(command: ApproveSubmission, state: SubmissionState): SubmissionEvent[] {
  const { caller, submissionId, marketRepositoryId, at } = command;
  requirePlatformAdmin(caller, 'approve submissions');
  requirePending(state, submissionId);
  const { tenantId, marketRepository, tag, digest } = state;
  return [
    {
      type: 'SubmissionApproved',
      data: { submissionId, tenantId, marketRepositoryId, marketRepository, tag, digest, approvedBy: caller.actor, at },
    },
  ];
}
