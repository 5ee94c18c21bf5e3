import { spec } from '@caas/domain/src/decider-spec';
import type { TenantEvent } from './tenant.events';
import {
  admin,
  apiKey,
  developer,
  owner,
  staffed,
  stranger,
  suspended,
  tenantId,
  viewer,
} from './tenant.decider-fixtures';
import { tenantDecider } from './tenant.decider';

const tenant = spec(tenantDecider);
const environmentId = 'e0000000-0000-4000-8000-000000000001';
const environmentCreated: TenantEvent = {
  type: 'EnvironmentCreated',
  data: { tenantId, environmentId, name: 'production' },
};

describe('tenant decider: environments', () => {
  describe('CreateEnvironment', () => {
    const create = (caller = owner, name = 'production', id = environmentId) =>
      ({ kind: 'CreateEnvironment', tenantId, caller, environmentId: id, name }) as const;

    it('an owner, an admin or an admin key creates one', () => {
      tenant.given(staffed).when(create(owner)).then([environmentCreated]);
      tenant.given(staffed).when(create(admin)).then([environmentCreated]);
      tenant
        .given(staffed)
        .when(create(apiKey('admin')))
        .then([environmentCreated]);
    });
    it('names are unique in the tenant', () =>
      tenant
        .given([...staffed, environmentCreated])
        .when(create(owner, 'production', 'e0000000-0000-4000-8000-000000000002'))
        .thenFails('conflict', /production/));
    it('a name may be reused once its environment is deleted', () =>
      tenant
        .given([...staffed, environmentCreated, { type: 'EnvironmentDeleted', data: { tenantId, environmentId } }])
        .when(create(owner, 'production', 'e0000000-0000-4000-8000-000000000002'))
        .then([
          {
            type: 'EnvironmentCreated',
            data: { tenantId, environmentId: 'e0000000-0000-4000-8000-000000000002', name: 'production' },
          },
        ]));
    it('a developer and a viewer are forbidden, a stranger gets not_found', () => {
      tenant.given(staffed).when(create(developer)).thenFails('forbidden');
      tenant.given(staffed).when(create(viewer)).thenFails('forbidden');
      tenant.given(staffed).when(create(stranger)).thenFails('not_found');
    });
    it('is refused while suspended', () =>
      tenant
        .given([...staffed, suspended])
        .when(create())
        .thenFails('conflict'));
  });

  describe('DeleteEnvironment', () => {
    const remove = (caller = owner, id = environmentId) =>
      ({ kind: 'DeleteEnvironment', tenantId, caller, environmentId: id }) as const;

    it('an owner or an admin deletes one', () => {
      const deletedEvent: TenantEvent = { type: 'EnvironmentDeleted', data: { tenantId, environmentId } };
      tenant
        .given([...staffed, environmentCreated])
        .when(remove(owner))
        .then([deletedEvent]);
      tenant
        .given([...staffed, environmentCreated])
        .when(remove(admin))
        .then([deletedEvent]);
    });
    it('an environment this tenant does not have is not found', () =>
      tenant
        .given(staffed)
        .when(remove())
        .thenFails('not_found', /environment/));
    it('a viewer is forbidden', () =>
      tenant
        .given([...staffed, environmentCreated])
        .when(remove(viewer))
        .thenFails('forbidden'));
    it('is refused while suspended', () =>
      tenant
        .given([...staffed, environmentCreated, suspended])
        .when(remove())
        .thenFails('conflict'));
  });
});
