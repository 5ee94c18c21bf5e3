import type { SubmissionEvent } from '@caas/contracts';
import { type DecidingCaller, requirePlatformAdmin } from './market-caller';
import type { SubmissionState } from './submission.events';
import { requirePending } from './submission.guards';

export interface RejectSubmission {
  readonly kind: 'RejectSubmission';
  readonly caller: DecidingCaller;
  readonly submissionId: string;
  /** Shown to the submitting tenant: what to change before submitting again. */
  readonly reason: string;
  readonly at: string;
}

export function rejectSubmission(command: RejectSubmission, state: SubmissionState): SubmissionEvent[] {
  const { caller, submissionId, reason, at } = command;
  requirePlatformAdmin(caller, 'reject submissions');
  requirePending(state, submissionId);
  return [
    {
      type: 'SubmissionRejected',
      data: { submissionId, tenantId: state.tenantId, reason, rejectedBy: caller.actor, at },
    },
  ];
}
