import { type RepositoryVisibility, WRITING_ROLES, conflict } from '@caas/contracts';
import type { RepositoryEvent, RepositoryState } from './repository.events';
import { type RepositoryCaller, requireRole } from './repository.guards';

export interface CreateRepository {
  readonly kind: 'CreateRepository';
  readonly caller: RepositoryCaller;
  readonly repositoryId: string;
  /** The full name, `<tenantId>/<path>`: the handler puts the caller's namespace in front. */
  readonly repository: string;
  readonly visibility: RepositoryVisibility;
  readonly description: string;
  readonly usageGuide: string;
  readonly at: string;
}

/** Before its first push, so that its visibility and guide are set from the start. Writers only. */
export function createRepository(command: CreateRepository, state: RepositoryState): RepositoryEvent[] {
  const { caller, repositoryId, repository, visibility, description, usageGuide, at } = command;
  requireRole(caller, WRITING_ROLES, 'create repositories');
  if (state.exists) throw conflict(`Repository '${repository}' already exists`, { repositoryId, repository });
  return [
    {
      type: 'RepositoryCreated',
      data: {
        repositoryId,
        tenantId: caller.tenantId,
        repository,
        visibility,
        description,
        usageGuide,
        origin: 'api',
        at,
      },
    },
  ];
}
