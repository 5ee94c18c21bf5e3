import { conflict, notFound } from '@caas/contracts';
import type { SubmissionState } from './submission.events';

/** A submission is decided once: approving or rejecting a decided one is a conflict. */
export function requirePending(state: SubmissionState, submissionId: string): void {
  if (!state.exists) throw notFound('Submission', submissionId);
  if (state.status !== 'pending') {
    throw conflict(`Submission '${submissionId}' is already ${state.status}`, { submissionId, status: state.status });
  }
}
