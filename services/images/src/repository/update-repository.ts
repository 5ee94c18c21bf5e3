import { MANAGING_ROLES, type RepositoryVisibility, WRITING_ROLES } from '@caas/contracts';
import type { RepositoryEvent, RepositoryState } from './repository.events';
import { type RepositoryCaller, requireOwn, requireRole } from './repository.guards';

export interface UpdateRepository {
  readonly kind: 'UpdateRepository';
  readonly caller: RepositoryCaller;
  readonly repositoryId: string;
  readonly visibility?: RepositoryVisibility;
  readonly description?: string;
  readonly usageGuide?: string;
  readonly at: string;
}

/**
 * Writers edit the description and the usage guide; who may pull is the managers' call
 * (owner, admin), since it can show a private image to every other tenant. Nothing
 * changed, nothing recorded.
 */
export function updateRepository(command: UpdateRepository, state: RepositoryState): RepositoryEvent[] {
  const { caller, repositoryId, at } = command;
  requireOwn(state, caller, repositoryId);
  requireRole(caller, WRITING_ROLES, 'edit repositories');
  const visibility = command.visibility ?? state.visibility;
  if (visibility !== state.visibility) requireRole(caller, MANAGING_ROLES, 'change who may pull a repository');
  const description = command.description ?? state.description;
  const usageGuide = command.usageGuide ?? state.usageGuide;
  if (visibility === state.visibility && description === state.description && usageGuide === state.usageGuide) {
    return [];
  }
  const { tenantId, repository } = state;
  return [
    {
      type: 'RepositoryUpdated',
      data: { repositoryId, tenantId, repository, visibility, description, usageGuide, at },
    },
  ];
}
