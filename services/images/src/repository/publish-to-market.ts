import { conflict } from '@caas/contracts';
import type { RepositoryEvent, RepositoryState } from './repository.events';

/**
 * An approved submission's image, already copied into `library/<name>:<tag>` by the
 * handler, becomes a market repository: tenantId null, public, with the submission's
 * description and usage guide. Issued by the market's approval, never by a tenant.
 */
export interface PublishToMarket {
  readonly kind: 'PublishToMarket';
  readonly repositoryId: string;
  /** `library/<name>`. */
  readonly repository: string;
  readonly submissionId: string;
  /** The submitting tenant: the name is theirs from their first approved image on. */
  readonly publisherTenantId: string;
  readonly description: string;
  readonly usageGuide: string;
  readonly tag: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  /** Who approved it (`user:<id>`), as ImagePushed names its pusher. */
  readonly by: string;
  readonly at: string;
}

/**
 * A name already published for another tenant is a conflict: its users pull
 * `library/<name>` trusting whoever published it first. (A market repository the
 * platform's admins pushed themselves has no publisher and may be taken.) Idempotent: a
 * retried approval finds the tag at the digest and the submission published, and
 * records nothing; the registry's own notification of the copy then records nothing either.
 */
export function publishToMarket(command: PublishToMarket, state: RepositoryState): RepositoryEvent[] {
  const { repositoryId, repository, submissionId, publisherTenantId, description, usageGuide, tag, digest, at } =
    command;
  if (state.exists && state.publisherTenantId && state.publisherTenantId !== publisherTenantId) {
    throw conflict(`The market name '${repository}' is taken by another tenant’s image`, {
      repositoryId,
      repository,
    });
  }
  const fact = { repositoryId, tenantId: null, repository };
  const events: RepositoryEvent[] = [];
  if (!state.exists) {
    events.push({
      type: 'RepositoryCreated',
      data: { ...fact, visibility: 'public', description, usageGuide, origin: 'api', at },
    });
  } else if (state.visibility !== 'public' || state.description !== description || state.usageGuide !== usageGuide) {
    events.push({ type: 'RepositoryUpdated', data: { ...fact, visibility: 'public', description, usageGuide, at } });
  }
  if (state.tags[tag]?.digest !== digest) {
    const { mediaType, size, by } = command;
    events.push({ type: 'ImagePushed', data: { ...fact, tag, digest, mediaType, size, pushedAt: at, pushedBy: by } });
  }
  if (!state.publishedSubmissions.includes(submissionId)) {
    events.push({
      type: 'MarketImagePublished',
      data: { ...fact, submissionId, publisherTenantId, tag, digest, at },
    });
  }
  return events;
}
