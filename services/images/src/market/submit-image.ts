import { WRITING_ROLES, conflict, forbidden, notFound } from '@caas/contracts';
import type { SubmittingCaller } from './market-caller';
import type { SubmissionEvent } from '@caas/contracts';
import type { SubmissionState } from './submission.events';

/** The tenant's repository as the handler read it from its stream (undefined: no such repository). */
export interface SourceRepository {
  readonly repositoryId: string;
  readonly tenantId: string | null;
  readonly repository: string;
  /** tag → the digest it points at now. */
  readonly tags: Readonly<Record<string, { readonly digest: string }>>;
}

export interface SubmitImage {
  readonly kind: 'SubmitImage';
  readonly caller: SubmittingCaller;
  readonly submissionId: string;
  readonly repositoryId: string;
  readonly source: SourceRepository | undefined;
  readonly tag: string;
  /** `library/<name>`. */
  readonly marketRepository: string;
  readonly description: string;
  readonly usageGuide: string;
  readonly at: string;
}

/**
 * Writers only (owner, admin, developer), and only their own tenant's tag: another
 * tenant's repository is not found, as everywhere. The tag's digest now is what is
 * recorded, so the admin approves exactly the image that was submitted.
 */
export function submitImage(command: SubmitImage, state: SubmissionState): SubmissionEvent[] {
  const { caller, submissionId, repositoryId, source, tag, marketRepository, description, usageGuide, at } = command;
  if (!source || source.tenantId !== caller.tenantId) throw notFound('Repository', repositoryId);
  if (!WRITING_ROLES.includes(caller.role)) throw forbidden(`A ${caller.role} may not submit images to the market`);
  const image = source.tags[tag];
  if (!image) throw notFound('Tag', tag);
  if (state.exists) throw conflict(`Submission '${submissionId}' exists already`, { submissionId });
  return [
    {
      type: 'ImageSubmitted',
      data: {
        submissionId,
        tenantId: caller.tenantId,
        repositoryId,
        repository: source.repository,
        tag,
        digest: image.digest,
        marketRepository,
        description,
        usageGuide,
        submittedBy: caller.actor,
        at,
      },
    },
  ];
}
