import { openReadModelDatabase } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { REPOSITORY_ENTITIES } from '../repository/repository.projection';
import { ImagesReadModel1763798400000 } from './migrations/1763798400000-images-read-model';
import { MARKET_ENTITIES } from '../market/submission.projection';
import { MarketSubmissions1764000000000 } from './migrations/1764000000000-market-submissions';
import { REPLICATION_ENTITIES } from '../replication/replication.projection';
import { REPLICATION_WORK_ENTITIES } from '../replication/replication-work';
import { Replications1764100000000 } from './migrations/1764100000000-replications';

/** The images read model's database (schema `images`). */
export function openImagesDatabase(url: string): Promise<DataSource> {
  return openReadModelDatabase({
    url,
    schema: 'images',
    entities: [...REPOSITORY_ENTITIES, ...MARKET_ENTITIES, ...REPLICATION_ENTITIES, ...REPLICATION_WORK_ENTITIES],
    migrations: [ImagesReadModel1763798400000, MarketSubmissions1764000000000, Replications1764100000000],
  });
}
