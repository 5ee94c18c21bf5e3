/**
 * Public events of the image market (`caas.events.images.<type>`, version 1): a tenant
 * submits one of its images for publication in the platform's curated namespace
 * (`library/<name>`), a platform admin approves or rejects it. Stream
 * `submission-<submissionId>`; `tenantId` is always the submitting tenant's.
 */

export type SubmissionStatus = 'pending' | 'approved' | 'rejected';
export const SUBMISSION_STATUSES: readonly SubmissionStatus[] = ['pending', 'approved', 'rejected'];

interface SubmissionFact {
  readonly submissionId: string;
  /** The submitting tenant. */
  readonly tenantId: string;
}

export interface ImageSubmitted {
  readonly type: 'ImageSubmitted';
  readonly data: SubmissionFact & {
    /** The tenant's repository the image comes from, and its full name (`<tenantId>/<path>`). */
    readonly repositoryId: string;
    readonly repository: string;
    readonly tag: string;
    /**
     * What the tag pointed at when it was submitted: what an approval publishes, even if
     * the tag has moved since (the admin approves what they reviewed, not a later push).
     */
    readonly digest: string;
    /** The market repository it would become: `library/<name>`. */
    readonly marketRepository: string;
    readonly description: string;
    /** Markdown; '' when none. */
    readonly usageGuide: string;
    /** `user:<id>` / `api-key:<id>`. */
    readonly submittedBy: string;
    readonly at: string;
  };
}

export interface SubmissionApproved {
  readonly type: 'SubmissionApproved';
  readonly data: SubmissionFact & {
    /** The market repository the image was copied into, and the tag it has there. */
    readonly marketRepositoryId: string;
    readonly marketRepository: string;
    readonly tag: string;
    readonly digest: string;
    /** The platform admin, `user:<id>`. */
    readonly approvedBy: string;
    readonly at: string;
  };
}

export interface SubmissionRejected {
  readonly type: 'SubmissionRejected';
  readonly data: SubmissionFact & {
    readonly reason: string;
    readonly rejectedBy: string;
    readonly at: string;
  };
}

export type SubmissionEvent = ImageSubmitted | SubmissionApproved | SubmissionRejected;

/**
 * In the market repository's own stream (`repository-<id>`, tenantId null): an approved
 * submission's image is now `library/<name>:<tag>`. The first tenant published under a
 * name keeps it: another tenant's submission for that name is refused on approval.
 */
export interface MarketImagePublished {
  readonly type: 'MarketImagePublished';
  readonly data: {
    readonly repositoryId: string;
    readonly tenantId: null;
    readonly repository: string;
    readonly submissionId: string;
    /** The tenant whose submission it was. */
    readonly publisherTenantId: string;
    readonly tag: string;
    readonly digest: string;
    readonly at: string;
  };
}
