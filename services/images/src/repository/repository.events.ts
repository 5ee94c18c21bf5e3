import type { ImagesEvent, RepositoryVisibility } from '@caas/contracts';
import { assertNever, deterministicUuid } from '@caas/domain';
import { streamName } from '@caas/event-store';

export type RepositoryEvent = ImagesEvent;

/** One stream per repository name: a name pushed, removed and pushed again is one history. */
export const repositoryIdOf = (repository: string) => deterministicUuid(`repository:${repository}`);
export const repositoryStream = (repositoryId: string) => streamName('repository', repositoryId);

export interface TagState {
  readonly digest: string;
  readonly size: number;
  readonly pushedAt: string;
}

export interface RepositoryState {
  readonly exists: boolean;
  readonly repositoryId: string;
  readonly tenantId: string | null;
  readonly repository: string;
  readonly visibility: RepositoryVisibility;
  readonly description: string;
  readonly usageGuide: string;
  readonly tags: Readonly<Record<string, TagState>>;
  /** The digest each tag was last imported at (ImageImported): a retried import records nothing twice. */
  readonly imported: Readonly<Record<string, string>>;
  /** A market repository's (`library/…`): the tenant whose approved image first took the name. */
  readonly publisherTenantId: string | null;
  /** The submissions published into it (a retried approval publishes nothing twice). */
  readonly publishedSubmissions: readonly string[];
}

export const initialRepositoryState = (): RepositoryState => ({
  exists: false,
  repositoryId: '',
  tenantId: null,
  repository: '',
  visibility: 'private',
  description: '',
  usageGuide: '',
  tags: {},
  imported: {},
  publisherTenantId: null,
  publishedSubmissions: [],
});

export function evolveRepository(state: RepositoryState, event: RepositoryEvent): RepositoryState {
  switch (event.type) {
    case 'RepositoryCreated': {
      const { repositoryId, tenantId, repository, visibility, description, usageGuide } = event.data;
      return {
        ...initialRepositoryState(),
        exists: true,
        repositoryId,
        tenantId,
        repository,
        visibility,
        description,
        usageGuide,
      };
    }
    case 'RepositoryUpdated': {
      const { visibility, description, usageGuide } = event.data;
      return { ...state, visibility, description, usageGuide };
    }
    case 'RepositoryRemoved':
      return { ...state, exists: false, tags: {} };
    case 'ImageImported':
      // The tag itself arrives with the registry's push notification (ImagePushed).
      return { ...state, imported: { ...state.imported, [event.data.tag]: event.data.digest } };
    case 'ImagePushed': {
      const { tag, digest, size, pushedAt } = event.data;
      return { ...state, tags: { ...state.tags, [tag]: { digest, size, pushedAt } } };
    }
    case 'ImageDeleted': {
      const tags = Object.fromEntries(Object.entries(state.tags).filter(([, tag]) => tag.digest !== event.data.digest));
      return { ...state, tags };
    }
    case 'MarketImagePublished': {
      const { publisherTenantId, submissionId } = event.data;
      return {
        ...state,
        publisherTenantId: state.publisherTenantId ?? publisherTenantId,
        publishedSubmissions: [...state.publishedSubmissions, submissionId],
      };
    }
    default:
      return assertNever(event);
  }
}

/**
 * RepositoryCreated for a name that first appears through an image (a push or an
 * import): private, without description, as Harbor and Docker Hub make them. Nothing
 * when the repository exists.
 */
export function createdByImage(
  state: RepositoryState,
  fact: { repositoryId: string; tenantId: string | null; repository: string },
  origin: 'push' | 'import',
  at: string,
): RepositoryEvent[] {
  if (state.exists) return [];
  const data = { ...fact, visibility: 'private' as const, description: '', usageGuide: '', origin, at };
  return [{ type: 'RepositoryCreated', data }];
}

/** The tags pointing at `digest`. */
export function tagsOf(state: RepositoryState, digest: string): string[] {
  return Object.entries(state.tags)
    .filter(([, tag]) => tag.digest === digest)
    .map(([name]) => name)
    .sort();
}
