import type { SubmissionStatus } from './market.events';

export interface SubmissionView {
  readonly submissionId: string;
  readonly tenantId: string;
  readonly repositoryId: string;
  /** The tenant's repository it comes from, `<tenantId>/<path>`. */
  readonly repository: string;
  readonly tag: string;
  /** What is (or was) published: the tag's digest when it was submitted. */
  readonly digest: string;
  /** `library/<name>`. */
  readonly marketRepository: string;
  readonly description: string;
  readonly usageGuide: string;
  readonly status: SubmissionStatus;
  readonly submittedBy: string;
  readonly submittedAt: string;
  /** Who approved or rejected it and when; null while pending. */
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  /** Why it was rejected; null otherwise. */
  readonly reason: string | null;
  /** The market repository once approved. */
  readonly marketRepositoryId: string | null;
}

export interface MarketTagView {
  readonly tag: string;
  readonly digest: string;
  readonly size: number;
  readonly publishedAt: string;
  /** What `docker pull` takes, no login needed: `<registry>/library/<name>:<tag>`. */
  readonly pull: string;
}

/** An image of the market: anyone may pull it, anonymous callers included. */
export interface MarketImageView {
  readonly repositoryId: string;
  /** `library/<name>`. */
  readonly repository: string;
  /** `<registry>/library/<name>` (add `:<tag>`). */
  readonly reference: string;
  readonly description: string;
  /** Markdown. */
  readonly usageGuide: string;
  readonly tags: readonly MarketTagView[];
  readonly updatedAt: string;
}
