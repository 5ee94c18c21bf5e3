import { openReadModelDatabase } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { SchedulingContainers1763900000000 } from '../container/migrations/1763900000000-scheduling-containers';
import { ContainerRow } from '../container/container.projection';
import { HostRow } from '../host/host.projection';
import { SchedulingHosts1763800000000 } from '../host/migrations/1763800000000-scheduling-hosts';
import { SchedulingServices1763900001000 } from '../service/migrations/1763900001000-scheduling-services';
import { ServiceRow } from '../service/service.projection';

/**
 * The scheduling read model's database (schema `scheduling`): every table of the
 * service, so each read model and its queries share one DataSource and one
 * migration history.
 *
 * host.projection.ts re-exports this (older imports), so the two import each other:
 * keep the entities referenced inside the function, never at module level.
 */
export function openSchedulingDatabase(url: string): Promise<DataSource> {
  return openReadModelDatabase({
    url,
    schema: 'scheduling',
    entities: [HostRow, ContainerRow, ServiceRow],
    migrations: [SchedulingHosts1763800000000, SchedulingContainers1763900000000, SchedulingServices1763900001000],
  });
}
