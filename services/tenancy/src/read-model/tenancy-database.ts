import { openReadModelDatabase } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { ApiKeyRow, ApiKeySecretRow } from '../apikey/apikey.projection';
import { PlanRow } from '../plan/plan.projection';
import { TENANT_ENTITIES } from '../tenant/tenant.projection';
import { UserRow } from '../user/user.projection';
import { TenancyReadModel1763769600000 } from './migrations/1763769600000-tenancy-read-model';
import { PlanImageStorage1763884800000 } from './migrations/1763884800000-plan-image-storage';

const SCHEMA = 'tenancy';

/** The tenancy read model's database (schema `tenancy`). */
export function openTenancyDatabase(url: string): Promise<DataSource> {
  return openReadModelDatabase({
    url,
    schema: SCHEMA,
    entities: [PlanRow, UserRow, ...TENANT_ENTITIES, ApiKeyRow, ApiKeySecretRow],
    migrations: [TenancyReadModel1763769600000, PlanImageStorage1763884800000],
  });
}
