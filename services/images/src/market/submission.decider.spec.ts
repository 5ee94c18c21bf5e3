import type { SubmissionEvent } from '@caas/contracts';
import { spec } from '@caas/domain/src/decider-spec';
import type { ApproveSubmission } from './approve-submission';
import type { DecidingCaller, SubmittingCaller } from './market-caller';
import type { RejectSubmission } from './reject-submission';
import type { SourceRepository, SubmitImage } from './submit-image';
import { submissionDecider } from './submission.decider';

const submissions = spec(submissionDecider);
const tenantId = '3f0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10';
const otherTenantId = '9a0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10';
const submissionId = 'c0000000-0000-4000-8000-000000000001';
const repositoryId = 'b0000000-0000-4000-8000-000000000001';
const marketRepositoryId = 'd0000000-0000-4000-8000-000000000001';
const at = '2026-11-22T06:00:00.000Z';
const digest = 'sha256:a';
const source: SourceRepository = {
  repositoryId,
  tenantId,
  repository: `${tenantId}/busybox`,
  tags: { '1': { digest } },
};
const member = (role: SubmittingCaller['role'], tenant = tenantId): SubmittingCaller => ({
  tenantId: tenant,
  role,
  actor: 'user:u1',
});
const admin: DecidingCaller = { platformAdmin: true, actor: 'user:admin' };
const notAdmin: DecidingCaller = { platformAdmin: false, actor: 'user:u1' };

const submit = (caller: SubmittingCaller, changes: Partial<SubmitImage> = {}): SubmitImage => ({
  kind: 'SubmitImage',
  caller,
  submissionId,
  repositoryId,
  source,
  tag: '1',
  marketRepository: 'library/busybox',
  description: 'A tiny shell',
  usageGuide: '`docker run --rm library/busybox echo ok`',
  at,
  ...changes,
});
const submitted: SubmissionEvent = {
  type: 'ImageSubmitted',
  data: {
    submissionId,
    tenantId,
    repositoryId,
    repository: `${tenantId}/busybox`,
    tag: '1',
    digest,
    marketRepository: 'library/busybox',
    description: 'A tiny shell',
    usageGuide: '`docker run --rm library/busybox echo ok`',
    submittedBy: 'user:u1',
    at,
  },
};
const approve = (caller: DecidingCaller): ApproveSubmission => ({
  kind: 'ApproveSubmission',
  caller,
  submissionId,
  marketRepositoryId,
  at,
});
const approved: SubmissionEvent = {
  type: 'SubmissionApproved',
  data: {
    submissionId,
    tenantId,
    marketRepositoryId,
    marketRepository: 'library/busybox',
    tag: '1',
    digest,
    approvedBy: 'user:admin',
    at,
  },
};
const reject = (caller: DecidingCaller): RejectSubmission => ({
  kind: 'RejectSubmission',
  caller,
  submissionId,
  reason: 'Runs as root',
  at,
});
const rejected: SubmissionEvent = {
  type: 'SubmissionRejected',
  data: { submissionId, tenantId, reason: 'Runs as root', rejectedBy: 'user:admin', at },
};

describe('submission decider', () => {
  describe('SubmitImage', () => {
    it('a developer submits its own tag: the digest it points at now is what is recorded', () => {
      submissions
        .given([])
        .when(submit(member('developer')))
        .then([submitted]);
    });

    it('a viewer may not', () => {
      submissions
        .given([])
        .when(submit(member('viewer')))
        .thenFails('forbidden');
    });

    it('another tenant’s repository, or none, is not found (before any role check)', () => {
      submissions
        .given([])
        .when(submit(member('viewer', otherTenantId)))
        .thenFails('not_found', /Repository/);
      submissions
        .given([])
        .when(submit(member('owner'), { source: undefined }))
        .thenFails('not_found', /Repository/);
    });

    it('a tag the repository does not have is not found', () => {
      submissions
        .given([])
        .when(submit(member('owner'), { tag: '2' }))
        .thenFails('not_found', /Tag '2'/);
    });
  });

  describe('ApproveSubmission', () => {
    it('a platform admin approves a pending submission: the digest submitted, into the market repository', () => {
      submissions.given([submitted]).when(approve(admin)).then([approved]);
    });

    it('only a platform admin', () => {
      submissions.given([submitted]).when(approve(notAdmin)).thenFails('forbidden');
    });

    it('is decided once: approving twice, or after a rejection, is a conflict', () => {
      submissions
        .given([submitted, approved])
        .when(approve(admin))
        .thenFails('conflict', /already approved/);
      submissions
        .given([submitted, rejected])
        .when(approve(admin))
        .thenFails('conflict', /already rejected/);
    });

    it('an unknown submission is not found', () => {
      submissions.given([]).when(approve(admin)).thenFails('not_found');
    });
  });

  describe('RejectSubmission', () => {
    it('a platform admin rejects with a reason', () => {
      submissions.given([submitted]).when(reject(admin)).then([rejected]);
    });

    it('only a platform admin, and only a pending submission', () => {
      submissions.given([submitted]).when(reject(notAdmin)).thenFails('forbidden');
      submissions.given([submitted, approved]).when(reject(admin)).thenFails('conflict');
    });
  });
});
