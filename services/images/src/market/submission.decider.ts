import type { SubmissionEvent } from '@caas/contracts';
import { type Decider, assertNever } from '@caas/domain';
import { type ApproveSubmission, approveSubmission } from './approve-submission';
import { type RejectSubmission, rejectSubmission } from './reject-submission';
import { type SubmitImage, submitImage } from './submit-image';
import { type SubmissionState, evolveSubmission, initialSubmissionState } from './submission.events';

export type SubmissionCommand = SubmitImage | ApproveSubmission | RejectSubmission;

export const submissionDecider: Decider<SubmissionCommand, SubmissionEvent, SubmissionState> = {
  initialState: initialSubmissionState,
  evolve: evolveSubmission,
  decide: (command, state) => {
    switch (command.kind) {
      case 'SubmitImage':
        return submitImage(command, state);
      case 'ApproveSubmission':
        return approveSubmission(command, state);
      case 'RejectSubmission':
        return rejectSubmission(command, state);
      default:
        return assertNever(command);
    }
  },
};
